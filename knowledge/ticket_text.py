"""Subject and body templates for support tickets, written as the customer.

Each topic has a category and a few scenarios. A scenario is one coherent situation, with
alternative subjects, openers, details, impacts and requests that all fit each other. A
ticket picks a scenario and one sentence for each part, where the impact may be empty, so
bodies run from two to six sentences. `tickets.py` fills the slots in braces per ticket.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    subjects: tuple[str, ...]
    openers: tuple[str, ...]
    details: tuple[str, ...]
    impacts: tuple[str, ...]
    requests: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    category: str
    scenarios: tuple[Scenario, ...]


TOPICS: dict[str, Topic] = {
    "howto_scale": Topic(
        "how-to",
        (
            Scenario(
                (
                    "How do I set real-world size before generating?",
                    "Question about scale settings",
                ),
                (
                    "We are generating {model} models for {project} and they all come out at 1 m "
                    "on "
                    "the longest side.",
                    "Quick question: where do we set the real dimensions of a model before we "
                    "generate it?",
                ),
                (
                    "The real object is about {length} m long.",
                    'I tried writing "{length} meters long" in the prompt, but it made no '
                    "difference.",
                ),
                (
                    "",
                    "We have around {count} of these to make this month, so rescaling each one by "
                    "hand is not realistic.",
                ),
                (
                    "Is there a setting for this, and does it carry over to the export?",
                    "What is the recommended way to do this for a whole project?",
                ),
            ),
            Scenario(
                ("Models import at the wrong size", "Scale is off after import into {tool}"),
                (
                    "I imported a {model} into {tool} today and it was tiny compared with our "
                    "other "
                    "assets.",
                    "Our {model} exports arrive in {tool} at the wrong scale.",
                ),
                (
                    "We export FBX with the default settings.",
                    "In the Meshwright viewer the Details panel shows the right size in meters.",
                ),
                ("",),
                (
                    "Which unit setting should we use for {tool}?",
                    "Is this a units problem on our side or in the export?",
                ),
            ),
        ),
    ),
    "howto_parts_export": Topic(
        "how-to",
        (
            Scenario(
                (
                    "Keeping parts separate on export",
                    "How do I export auto-parts as separate objects?",
                ),
                (
                    "We used auto-parts on a {model} and got {parts} nicely named parts in the "
                    "Parts "
                    "panel.",
                    "I am trying to get a {model} into {fbx_tool} with its pieces separate.",
                ),
                (
                    "When I export to OBJ everything lands in one object with groups, which is not "
                    "what we need.",
                    "I am not sure whether the pivots come along in the export.",
                ),
                ("", "We want to animate the moving pieces in {fbx_tool} afterwards."),
                (
                    "Which format keeps the hierarchy and pivots?",
                    "Could you explain the recommended export settings?",
                ),
            ),
            Scenario(
                ("What are the empty socket objects?", "Sockets in exported files"),
                (
                    "After exporting our {model} to FBX, {fbx_tool} shows a lot of empty objects "
                    "named "
                    "socket_something.",
                ),
                ("They sit where the parts join, so I guess they come from auto-parts.",),
                ("",),
                (
                    "What are they for, and can we leave them out of the export?",
                    "Is it safe to delete them?",
                ),
            ),
        ),
    ),
    "howto_invite": Topic(
        "how-to",
        (
            Scenario(
                ("Inviting teammates", "Invite link not received"),
                (
                    "I invited {colleague} on {date} but the invitation never arrived.",
                    "A colleague says they never got the invitation I sent on {date}.",
                ),
                (
                    "The invite shows as pending in Settings > Members.",
                    "I checked that the email address is spelled correctly.",
                ),
                ("",),
                ("How do I resend the invitation?", "Could you check whether it bounced?"),
            ),
            Scenario(
                ("How do I add a colleague as a viewer?", "Roles for reviewers"),
                (
                    "One of our producers only needs to look at models and leave comments.",
                    "We want our art director to review models without making new ones.",
                ),
                (
                    "I do not want them to use one of our {seats} paid seats.",
                    "We are on {plan} with {seats} seats.",
                ),
                ("",),
                (
                    "Which role should they get, and are Viewers counted as seats?",
                    "How are Viewers billed?",
                ),
            ),
        ),
    ),
    "howto_batch": Topic(
        "how-to",
        (
            Scenario(
                ("Batch export to {fmt}", "Exporting a whole project at once"),
                (
                    "We have {count} finished models in one project and need them all as {fmt}.",
                    "Our web team wants every model from {project} exported to {fmt} in one go.",
                ),
                (
                    "Right now I export them one by one, which takes most of an afternoon.",
                    "I found Export selected but it seems to stop at 50 models.",
                ),
                ("",),
                (
                    "Is there a faster way, or an API call for this?",
                    "What is the best practice for large batches?",
                ),
            ),
            Scenario(
                ("GLB and USDZ in one batch?", "Bulk download for product pages"),
                (
                    "For every product we need both a GLB for the web viewer and a USDZ for iPhone "
                    "AR.",
                ),
                (
                    "We have about {count} products in the current collection.",
                    "Exporting each format separately doubles the work.",
                ),
                ("",),
                (
                    "Can one batch include both formats?",
                    "Is there a way to get both files per model in one download?",
                ),
            ),
        ),
    ),
    "howto_reference_views": Topic(
        "how-to",
        (
            Scenario(
                ("Using several photos for image-to-3D", "Side and back reference views"),
                (
                    "We photograph our products on a turntable and have front, side and back "
                    "shots.",
                    "I want better results for our {model} from image-to-3D.",
                ),
                (
                    "With only the front photo the back of the model is guessed and looks wrong.",
                    "I do not see where to add a second image.",
                ),
                ("",),
                (
                    "How many views can we use on our plan, and which slots should they go in?",
                    "Does adding views use more generations?",
                ),
            ),
            Scenario(
                ("Best photos for image-to-3D?", "Photo tips for better models"),
                ("Our photos are about {megapixels} megapixels, shot on a phone.",),
                ("Some models come out stretched and some have shadows baked into the texture.",),
                ("",),
                (
                    "Do you have tips for lighting and focal length?",
                    "What kind of photos work best?",
                ),
            ),
        ),
    ),
    "howto_retopo": Topic(
        "how-to",
        (
            Scenario(
                (
                    "Which retopology target for mobile?",
                    "Retopology settings for a game-ready mesh",
                ),
                ("We need our {model} assets under {budget} triangles for a mobile build.",),
                ("The generated mesh is around {tris} triangles.",),
                ("",),
                (
                    "What settings would you recommend?",
                    "Does the normal map keep the fine detail after retopology?",
                ),
            ),
            Scenario(
                ("Quad or triangle output?",),
                ("I ran AI retopology for the first time on a {model} and have a question.",),
                (
                    "I am not sure whether Quad-dominant or Triangles is better for us, because "
                    "the "
                    "models go to both our animators and our web viewer.",
                ),
                ("",),
                ("Which one would you pick?", "What is the difference in practice?"),
            ),
        ),
    ),
    "vehicle_width": Topic(
        "generation-quality",
        (
            Scenario(
                ("Vehicles come out too wide", "{model_cap} generated far too wide"),
                (
                    "Our {model} from image-to-3D is about {pct}% wider than the real one.",
                    "Every vehicle we generate from photos comes out noticeably too wide.",
                ),
                (
                    "The real vehicle is {length} m long and {width} m wide, the model is "
                    "{bad_width} m wide.",
                    "It happens on {count} of the last {count_total} vehicles we generated.",
                ),
                ("", "We are spending more time fixing proportions than the generation saves us."),
                ("Is this a known problem, and is there a fix?", "What are we doing wrong?"),
            ),
            Scenario(
                ("Proportions wrong on vehicles", "Rescaling squashes the wheels"),
                (
                    "We generated a {model} from a three-quarter photo on {date} and it looks "
                    "squashed "
                    "and fat.",
                ),
                (
                    "We used the Vehicle preset and it did not help.",
                    "Rescaling in the Details panel fixes the width but squashes the wheels into "
                    "ovals.",
                ),
                ("", "Our client review is on {deadline}, and we cannot show these proportions."),
                ("Can someone look at model {model_ref}?", "How should we fix this?"),
            ),
        ),
    ),
    "bridge_proportions": Topic(
        "generation-quality",
        (
            Scenario(
                ("Bridge comes out short and tall", "{model_cap} span is compressed"),
                (
                    "We are generating a {model} for a park visualization and the span is far too "
                    "short.",
                    "Long structures come out compressed: our {model} looks like a tower with a "
                    "stub "
                    "of deck.",
                ),
                (
                    "The real span is {span} m and the towers are about {height} m high.",
                    "We set the size under Generate > Scale with Lock proportions on, and the "
                    "ratio "
                    "is still wrong.",
                ),
                ("", "We tried {count} times with different prompts and lost most of a day."),
                (
                    "How should we generate structures like this?",
                    "Is there a length limit we are hitting?",
                ),
            ),
            Scenario(
                ("Wrong proportions on long structures", "Long structure mode makes the deck sag"),
                (
                    "The {model} we generated on {date} has the right style but the wrong "
                    "proportions.",
                ),
                ("Long structure mode made it longer, but the deck now sags in the middle.",),
                ("", "This is for a public consultation on {deadline}, so accuracy matters."),
                (
                    "Can you check what is going on with model {model_ref}?",
                    "Should we build it from segments instead?",
                ),
            ),
        ),
    ),
    "face_detail": Topic(
        "generation-quality",
        (
            Scenario(
                ("Faces lose detail", "Blurry faces on characters"),
                (
                    "Character faces come out soft and blurry compared with the input photos.",
                    "Since {date} the faces on our {model} models have lost a lot of detail.",
                ),
                (
                    "We use 4096 px textures and Face Detail Enhance is on.",
                    "The input photos are {megapixels} megapixels and the face fills most of the "
                    "frame.",
                    "It is worst around the eyes: they look painted on.",
                ),
                ("", "Faces are the main thing our users look at, so this is a blocker for us."),
                (
                    "What settings should we use to keep facial detail?",
                    "Has something changed in the model recently?",
                ),
            ),
            Scenario(
                ("Face detail lost after export", "Faces flat after retopology"),
                (
                    "Our {model} looks great in the viewer but the face is smeared after export to "
                    "{face_fmt}.",
                    "After retopology to {budget} triangles the nose and lips of our {model} are "
                    "almost flat.",
                ),
                ("The textures in the viewer are 4096 px.", "We tried two different exports."),
                ("", "We have {count} avatars queued for a launch on {deadline}."),
                ("Is there a way to keep the detail?", "Please advise."),
            ),
        ),
    ),
    "retopo_detail": Topic(
        "generation-quality",
        (
            Scenario(
                ("Retopology removes details", "Retopology at low targets"),
                (
                    "Running AI retopology on our {model} removes the panel lines and small "
                    "details.",
                ),
                (
                    "The original mesh is about {tris} triangles and the target was {budget}.",
                    "We used Quad-dominant with Symmetric on.",
                ),
                ("", "We need these for a build on {deadline}."),
                ("Is there a way to keep the details?", "Is this expected at that target?"),
            ),
            Scenario(
                ("Holes after retopology",),
                (
                    "After retopology to {budget} triangles our {model} has small holes around the "
                    "thin parts.",
                ),
                ("The holes are where cables and antennas were.",),
                ("",),
                ("Is there a setting to avoid this?", "Can you take a look?"),
            ),
        ),
    ),
    "fbx_missing_parts": Topic(
        "export",
        (
            Scenario(
                (
                    "FBX export missing parts",
                    "{model_cap}: {missing} parts missing after FBX import",
                ),
                (
                    "Our {model} has {parts} parts in Meshwright, but only {present} show up after "
                    "importing the FBX into {fbx_tool}.",
                    "We exported a {model} to FBX on {date} and {missing} of its {parts} parts are "
                    "missing.",
                ),
                (
                    "The missing ones are mostly small pieces like bolts, hinges and the "
                    "{part_name}.",
                    "The file is {size} MB, exported as FBX 2020 binary with embedded media.",
                ),
                ("", "Our artists are rebuilding missing parts by hand, which defeats the point."),
                ("Is there a setting we are missing?", "Please check model {model_ref}."),
            ),
            Scenario(
                ("Parts disappear in FBX", "FBX drops parts that GLB keeps"),
                ("FBX exports of models with auto-parts are dropping pieces.",),
                (
                    "Include hidden parts is ticked and Make part names unique is on.",
                    "GLB exports of the same {model} have every part, so it seems specific to FBX.",
                ),
                ("", "This blocks our milestone build on {deadline}."),
                ("Can you look into this?", "Is this a known bug?"),
            ),
        ),
    ),
    "glb_slow": Topic(
        "performance",
        (
            Scenario(
                ("GLB exports are very slow", "GLB export taking {minutes} minutes"),
                (
                    "GLB exports that used to take seconds now take {minutes} minutes or more.",
                    "Exporting our {model} to GLB has been very slow since {date}.",
                ),
                (
                    "We use Draco level 6 and the models are around {tris} triangles.",
                    "Turning off KTX2 did not change anything.",
                ),
                ("", "Our web team is blocked waiting for these files."),
                ("Is there a problem on your side?", "What can we do to speed this up?"),
            ),
            Scenario(
                ("GLB batch export timed out", "EXPORT_TIMEOUT on GLB exports"),
                (
                    "Our batch of {count} models to GLB ran for over an hour and then failed.",
                    "Some GLB exports end as Failed with EXPORT_TIMEOUT in the Activity panel.",
                ),
                (
                    "The files are about {size} MB when they do finish.",
                    "Smaller models export fine, the large ones time out.",
                ),
                ("", "We publish {count} product pages a week and this is holding them up."),
                ("Can you check export {export_ref}?", "Is there a size limit we are hitting?"),
            ),
        ),
    ),
    "usdz_size": Topic(
        "export",
        (
            Scenario(
                ("USDZ too large for AR Quick Look", "USDZ file does not open on iPhone"),
                (
                    "Our USDZ exports of the {model} are {size} MB and will not open in AR on "
                    "older "
                    "iPhones.",
                ),
                (
                    "Optimize for mobile is on.",
                    "In GLB with Draco the same model is under {small_size} MB.",
                ),
                ("", "We want AR previews live on our product pages by {deadline}."),
                ("How do we get the USDZ under 25 MB?", "What settings do you recommend for USDZ?"),
            ),
            Scenario(
                ("USDZ textures look blurry",),
                ("The USDZ version of our {model} looks much blurrier than the GLB.",),
                ("The textures are 4096 px in the Meshwright viewer.",),
                ("",),
                (
                    "Is the 2048 px texture limit something we can change?",
                    "Why is the USDZ so much softer?",
                ),
            ),
        ),
    ),
    "obj_textures": Topic(
        "export",
        (
            Scenario(
                ("OBJ opens without textures", "Missing textures in OBJ export"),
                (
                    "When we open our OBJ exports in {obj_tool} the model is grey with no "
                    "textures.",
                    "The OBJ of our {model} loads in {obj_tool}, but the materials are missing.",
                ),
                (
                    "We unzipped the export and moved model.obj into our asset folder.",
                    "The MTL file is in the ZIP, and so is the textures folder.",
                ),
                ("",),
                ("What are we missing?", "Is there a way to embed the textures?"),
            ),
        ),
    ),
    "generation_stuck": Topic(
        "bug",
        (
            Scenario(
                ("Generation stuck at 95%", "Generations never finish", "Refine step hangs"),
                (
                    "Since {date} our generations get stuck at 95% and never finish.",
                    "Refining a preview hangs for our whole team today.",
                    "This is broken again: {count} generations have been spinning for over 20 "
                    "minutes.",
                ),
                (
                    "It happens with text and image inputs alike.",
                    "Reloading the page shows the job as still running.",
                    "Each stuck job seems to use up a generation from our pool.",
                ),
                ("", "Our artists cannot work at all while this is happening."),
                (
                    "Can you check what is wrong and refund the lost generations?",
                    "Is there an outage?",
                ),
            ),
        ),
    ),
    "sketch_panel": Topic(
        "bug",
        (
            Scenario(
                ("Sketch panel does not load", "Sketch-to-3D canvas is blank"),
                (
                    "The Sketch panel shows a blank canvas for everyone on our team.",
                    "Drawing in sketch-to-3D stopped working for us on {date}.",
                ),
                (
                    "Uploading a PNG sketch still works, only drawing is broken.",
                    "The pen tool does nothing and the symmetry guide is missing.",
                ),
                ("", "Our designers use sketching for all early concepts."),
                ("Can you take a look?", "Is this a known issue?"),
            ),
        ),
    ),
    "billing_vat": Topic(
        "billing",
        (
            Scenario(
                ("VAT number on invoices", "Invoice needs our tax ID"),
                ("Our finance team needs our VAT number on every invoice.",),
                (
                    "I added it under Settings > Billing > Billing details, but invoice {invoice} "
                    "still shows the old details.",
                ),
                ("",),
                (
                    "Can you reissue it with the correct details?",
                    "Will future invoices pick this up automatically?",
                ),
            ),
            Scenario(
                ("Purchase order number on invoice",),
                ("Invoice {invoice} from {date} does not show our purchase order number.",),
                ("Our accounts payable team will not pay invoices without a PO number.",),
                ("",),
                ("Where do we add the PO number, and can you reissue the invoice?",),
            ),
        ),
    ),
    "billing_card": Topic(
        "billing",
        (
            Scenario(
                ("Card payment failed", "Payment declined, will the workspace go read-only?"),
                (
                    "We got an email that our card payment failed on {date}.",
                    "Our company card was replaced and this month's charge failed.",
                ),
                (
                    "I have added the new card under Settings > Billing.",
                    "Invoice {invoice} still shows as open.",
                ),
                ("", "We cannot afford the workspace going read-only this week."),
                (
                    "Can you retry the charge now?",
                    "Please confirm that nothing will be interrupted.",
                ),
            ),
        ),
    ),
    "billing_proration": Topic(
        "billing",
        (
            Scenario(
                ("Question about the prorated invoice", "Charge after adding seats"),
                (
                    "We added {added} seats on {date} and received an extra invoice the same day.",
                    "I do not understand the prorated amount on invoice {invoice}.",
                ),
                ("I expected the seats to be added to the next regular invoice.",),
                ("",),
                ("Can you explain how it was calculated?", "Is this correct?"),
            ),
        ),
    ),
    "billing_renewal_quote": Topic(
        "billing",
        (
            Scenario(
                ("Renewal quote for {renewal}", "Updated quote and PO for renewal"),
                (
                    "Our renewal is coming up on {renewal} and procurement needs a quote.",
                    "Ahead of our renewal on {renewal} I need a quote for finance.",
                ),
                (
                    "We are on {plan} with {seats} seats today.",
                    "Please include pricing for {seats_more} seats as an option as well.",
                ),
                ("",),
                ("Could you send it to me this week?", "Who should I talk to about this?"),
            ),
        ),
    ),
    "billing_reduce_seats": Topic(
        "billing",
        (
            Scenario(
                ("Reducing seats at renewal", "Seat count for our renewal"),
                (
                    "Before our renewal on {renewal} we want to review how many seats we need.",
                    "We are looking at reducing our seat count at renewal.",
                ),
                (
                    "Only about {active} people use Meshwright regularly at the moment.",
                    "We are on {plan} with {seats} seats.",
                ),
                ("", "Budget is tight for next year."),
                (
                    "How do we schedule fewer seats from the renewal date?",
                    "Is there any flexibility on price if we stay at the same size?",
                ),
            ),
        ),
    ),
    "billing_cancel": Topic(
        "billing",
        (
            Scenario(
                ("How do we cancel?", "Cancelling our plan and exporting models"),
                (
                    "We have decided not to continue with Meshwright after this period.",
                    "Our team is winding down the project that used Meshwright.",
                ),
                (
                    "We need to keep all our models, around {count} of them.",
                    "I want to make sure nobody loses access before the end of the period.",
                ),
                ("",),
                (
                    "What is the best way to export everything, and what happens to the workspace?",
                    "Can you confirm the steps to cancel?",
                ),
            ),
        ),
    ),
    "seats_add": Topic(
        "seat-management",
        (
            Scenario(
                ("Adding seats", "Need {added} more seats", "Seat limit reached"),
                (
                    "We have used all {seats} seats and have {added} new artists starting on "
                    "{deadline}.",
                    "Our team is growing and we need {added} more seats.",
                ),
                ("The invite dialog says all seats are in use.",),
                ("",),
                (
                    "How is the price for extra seats calculated mid-term?",
                    "Can we add them now and keep the same renewal date?",
                ),
            ),
        ),
    ),
    "seats_reassign": Topic(
        "seat-management",
        (
            Scenario(
                ("Reassigning a seat after someone left", "{departed} has left the company"),
                (
                    "{departed} left our company on {left_on}.",
                    "One of our leads, {departed}, is no longer with us.",
                ),
                (
                    "They owned several projects and the API keys for our pipeline.",
                    "We want to give their seat to {colleague}.",
                ),
                ("", "We need the pipeline keys to keep working."),
                (
                    "How do we move their models and free the seat?",
                    "Can you help us transfer their projects?",
                ),
            ),
        ),
    ),
    "api_429": Topic(
        "api",
        (
            Scenario(
                ("API returns 429 errors", "Rate limits on the API"),
                ("Our pipeline started getting HTTP 429 responses from POST /generations.",),
                (
                    "We send about {rpm} requests per minute at peak.",
                    "We poll GET /generations every second for each job.",
                ),
                ("", "Our nightly batch of {count} models did not finish."),
                ("What are the limits on our plan?", "What is the recommended retry strategy?"),
            ),
            Scenario(
                ("concurrency_limit errors",),
                (
                    "We are hitting concurrency_limit errors when we queue jobs from our build "
                    "server.",
                ),
                ("We start about {jobs} jobs at the same time.",),
                ("",),
                ("Can we get a temporary increase?", "How many jobs can run at once on our plan?"),
            ),
        ),
    ),
    "sso_setup": Topic(
        "sso",
        (
            Scenario(
                ("Setting up SAML SSO", "SSO configuration help"),
                (
                    "We are setting up SAML single sign-on for our organization.",
                    "Our IT team is connecting Meshwright to our identity provider.",
                ),
                (
                    "The domain verification TXT record has been in place since {date}.",
                    "We are not sure which Entity ID to use.",
                    "We also want SCIM so that leavers lose access automatically.",
                ),
                ("",),
                (
                    "Can you walk us through the settings?",
                    "Can someone join a short call with our IT admin?",
                ),
            ),
        ),
    ),
    "sso_error": Topic(
        "sso",
        (
            Scenario(
                ("SSO login fails with Invalid audience",),
                ("Since we turned on Require SSO, users get an Invalid audience error.",),
                (
                    "About {n_people} people are affected.",
                    "The Owner can still sign in with a password.",
                ),
                ("", "Our artists cannot work until this is fixed."),
                ("Please help urgently.", "What do we need to change?"),
            ),
            Scenario(
                ("Users locked out after certificate change",),
                (
                    "After our identity provider certificate rotated on {date}, nobody can sign in "
                    "with SSO.",
                ),
                ("The error says Signature invalid.",),
                ("", "Our artists cannot work until this is fixed."),
                ("Where do we upload the new certificate?", "Please help urgently."),
            ),
        ),
    ),
    "free_gen_limit": Topic(
        "plan-limits",
        (
            Scenario(
                (
                    "Monthly generation limit reached",
                    "Ran out of generations on day {day_of_month}",
                ),
                (
                    "We hit the 40-generation limit on the {day_of_month_ordinal} of the month "
                    "again.",
                    "The Generate button says Monthly limit reached for all three of us.",
                ),
                (
                    "We are three people on the Free plan and we use Meshwright every day.",
                    "Most of our generations go into trying different prompts for the same object.",
                ),
                ("", "We are not ready to pay for a full team yet."),
                (
                    "Is there a way to buy extra generations without upgrading?",
                    "When exactly does the counter reset?",
                ),
            ),
        ),
    ),
    "free_export_formats": Topic(
        "plan-limits",
        (
            Scenario(
                ("{fmt} export on the Free plan?", "No {fmt} option in the export dialog"),
                ("I only see OBJ and GLB in the export dialog.",),
                ("We need {fmt} for {project}.",),
                ("",),
                ("Which plan includes FBX and USDZ?", "Is there a way to get {fmt} on Free?"),
            ),
            Scenario(
                ("Export limit reached",),
                ("We reached the 25 export limit for this month.",),
                ("We export every model as both OBJ and GLB, so the limit goes quickly.",),
                ("",),
                ("Does Starter have an export limit?", "When does the export counter reset?"),
            ),
        ),
    ),
    "free_pricing": Topic(
        "plan-limits",
        (
            Scenario(
                ("Starter or Studio for a team of three?", "Pricing question"),
                (
                    "We are a small team of three using the Free plan heavily.",
                    "We are thinking about upgrading from Free.",
                ),
                (
                    "We mostly need more generations and FBX export.",
                    "Auto-parts would save us a lot of time, but it looks like it is Studio only.",
                ),
                ("", "Our budget is small until we ship our first project."),
                (
                    "Could you help us choose between Starter and Studio?",
                    "Is there a discount for annual billing or for small studios?",
                ),
            ),
        ),
    ),
    "free_commercial": Topic(
        "plan-limits",
        (
            Scenario(
                ("Commercial use of models made on Free", "Licence question"),
                (
                    "We want to sell a small asset pack made with Meshwright.",
                    "A client wants to use models we made on the Free plan.",
                ),
                (
                    "Most of the models were generated on the Free plan.",
                    "We understand Free is for personal and evaluation use.",
                ),
                ("",),
                (
                    "What do we need to do to use them commercially?",
                    "If we upgrade, are older models covered?",
                ),
            ),
        ),
    ),
    "followup": Topic(
        "export",
        (
            Scenario(
                ("Re: {ref} still not resolved", "Any update on {ref}?", "Follow-up on {ref}"),
                (
                    "We are still waiting for a fix for {ref}, which we opened {days_open} days "
                    "ago.",
                    "I am following up on {ref} because we have had no real update.",
                ),
                (
                    "The workaround from support did not help.",
                    "Our leadership is now asking about this every day.",
                ),
                ("", "We are starting to question whether Meshwright can support our pipeline."),
                (
                    "Please give us a date for a fix.",
                    "Can we get a call with someone from engineering?",
                ),
            ),
        ),
    ),
}

# Extra sentences for tickets filed while an account is unhappy.
FRUSTRATED_IMPACTS = (
    "This used to work fine a couple of months ago.",
    "Honestly this is getting frustrating.",
    "We are losing a lot of time on this.",
    "This is not the first time we have reported this.",
)
URGENT_IMPACTS = (
    "This is blocking our release on {deadline} and the whole art team is affected.",
    "We have escalated this internally, and our {sponsor_title} is asking for a fix date.",
    "We cannot deliver to our client until this is fixed.",
)
SIGN_OFFS = (
    "\n\nThanks,\n{first}",
    "\n\nBest,\n{first}",
    "\n\n{first}",
    "",
    "\n\nCheers,\n{first}",
)

# Slot values, chosen per ticket.
MODELS = {
    "vehicle_width": (
        "delivery van",
        "rally hatchback",
        "cargo truck",
        "vintage roadster",
        "electric scooter",
        "forklift",
        "city bus",
    ),
    "bridge_proportions": (
        "suspension bridge",
        "rope bridge",
        "stone arch bridge",
        "railway viaduct",
        "pedestrian footbridge",
        "timber boardwalk",
    ),
    "face_detail": (
        "avatar bust",
        "NPC head",
        "mascot character",
        "portrait statue",
        "customer avatar",
    ),
    "fbx_missing_parts": (
        "mech suit",
        "office chair",
        "quadcopter drone",
        "robot arm",
        "siege tower",
        "espresso machine",
    ),
    "retopo_detail": (
        "sci-fi helmet",
        "armored truck",
        "mech suit",
        "radio mast",
        "drone with antennas",
    ),
    "default": (
        "sofa",
        "sneaker",
        "treasure chest",
        "desk lamp",
        "backpack",
        "wooden crate",
        "sci-fi helmet",
        "garden bench",
        "ceramic vase",
        "bicycle",
        "kitchen mixer",
        "fantasy sword",
        "armchair",
        "street lamp",
    ),
}
PART_NAMES = ("left hinge", "rear wheel", "rotor cap", "hydraulic piston", "armrest", "handle")
TOOLS = ("Blender", "Godot", "our engine", "our DCC tool", "our game engine")
FBX_TOOLS = ("Blender", "our engine", "our DCC tool", "our animation package")
OBJ_TOOLS = ("Blender", "our slicer", "our CAD viewer", "our renderer")
PROJECTS = (
    "the spring catalogue",
    "our next level",
    "the showroom app",
    "a client pitch",
    "the holiday collection",
    "our AR try-on page",
    "the vertical slice",
)
