"""Templates for CSM call notes, meeting notes and emails, one set per purpose.

Every purpose has titles, discussion paragraphs, sentiment lines, risk lines and next steps.
Slots in braces are facts computed from the account's data on the note's date by
`notes.py`, so the numbers in a note agree with the usage, ticket and subscription rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NoteTemplates:
    kind: tuple[str, ...]
    titles: tuple[str, ...]
    discussions: tuple[str, ...]
    sentiments: tuple[str, ...]
    risks: tuple[str, ...]
    steps: tuple[str, ...]


PURPOSES: dict[str, NoteTemplates] = {
    "checkin": NoteTemplates(
        kind=("call", "call", "email"),
        titles=("Monthly check-in", "Check-in call", "Regular sync", "Usage check-in"),
        discussions=(
            "{champion_first} walked me through how the team works today: mostly {top_feature} "
            "and {second_feature}. In the last 30 days they ran {gens_30} generations and "
            "{exports_30} exports, with up to {active_30} of {seats} seats active on one day. "
            "{trend_sentence}",
            "Reviewed usage together: {gens_30} generations in the last 30 days against "
            "{gens_prev_30} in the 30 days before. {trend_sentence} {champion_first} asked "
            "about {question}.",
            "Short sync. The team is using {top_feature} for most new assets and exports "
            "{main_export} for {use_case}. {ticket_sentence} {champion_first} asked about "
            "{question}.",
        ),
        sentiments=(
            "{champion_first} was relaxed and positive; no complaints beyond the usual.",
            "Neutral to positive. Business as usual.",
            "Friendly call; the team seems settled in.",
        ),
        risks=(
            "None visible right now.",
            "Low. Worth watching seat use: {active_30} of {seats} seats at peak.",
            "No new risks; renewal is {renewal_phrase}.",
        ),
        steps=(
            "Send the link to the {doc_title} page.",
            "Check back in about six weeks.",
            "{champion_first} to share two example models so we can suggest settings.",
            "Invite {champion_first} to the webinar on auto-parts workflows.",
            "Follow up on {ticket_ref} with support.",
        ),
    ),
    "qbr": NoteTemplates(
        kind=("meeting",),
        titles=("Quarterly business review", "QBR", "QBR with {company}"),
        discussions=(
            "Went through the quarter. Generations were {gens_30} in the last 30 days "
            "({change_phrase} on the month before) and up to {active_30} of {seats} seats were "
            "active on a single day. Wins they called out: {win}. {sponsor_first} wants to "
            "see {goal} by next quarter.",
            "QBR with {sponsor_first} and {champion_first}. Headline numbers: {gens_30} "
            "generations and {exports_30} exports in the last 30 days, {active_30} peak daily "
            "users on {seats} seats. {champion_first} shared that {win}. Agreed goal for "
            "next quarter: {goal}.",
        ),
        sentiments=(
            "Very positive. {sponsor_first} said the tool has become part of the pipeline.",
            "Positive and forward-looking; most of the time went to next quarter's plans.",
        ),
        risks=(
            "None. The open question is capacity: peak use is {active_30} of {seats} seats.",
            "Low. {ticket_sentence}",
        ),
        steps=(
            "Send the QBR summary and goals to {sponsor_first} and {champion_first}.",
            "Set up a working session on {next_topic}.",
            "Prepare seat and plan options ahead of the renewal on {renewal}.",
            "Book the next QBR for {next_quarter}.",
        ),
    ),
    "expansion": NoteTemplates(
        kind=("call", "meeting"),
        titles=("Expansion discussion", "Seat expansion", "Upgrade call"),
        discussions=(
            "{champion_first} and {sponsor_first} want to grow from {prior_seats} {prior_plan} "
            "seats to {new_seats} {new_plan} seats. {expansion_reason} Peak daily users have "
            "been {active_30} against {prior_seats} seats, and they ran {gens_30} generations "
            "in the last 30 days.",
            "Discussed the expansion. {expansion_reason} Proposal: {new_seats} seats on "
            "{new_plan} (today {prior_seats} on {prior_plan}), co-termed to the renewal on "
            "{renewal}. {sponsor_first} has budget approval.",
        ),
        sentiments=(
            "Very positive; they see the expansion as overdue.",
            "Upbeat. {sponsor_first} is keen to move before the next project starts.",
        ),
        risks=(
            "None for the account; timing depends on their procurement.",
            "Only that onboarding the new seats needs a proper session.",
        ),
        steps=(
            "Send the order form for {new_seats} {new_plan} seats.",
            "Run a training session for the new users.",
            "Set up the second workspace and shared library with their admin.",
            "Update the account plan with the new goals.",
        ),
    ),
    "decline_alert": NoteTemplates(
        kind=("call",),
        titles=("Usage review: drop in activity", "Check-in on falling usage", "Usage dip call"),
        discussions=(
            "Called {champion_first} about the drop: {gens_30} generations in the last 30 "
            "days against {gens_before} in a normal month before {decline_month}, down "
            "{decline_pct}%. {champion_first} said that {problem_story} The recent tickets "
            "{recent_refs} are all about this.",
            "Reviewed the usage dip with {champion_first}. Peak daily users fell to "
            "{active_30} of {seats} seats and generations are down {decline_pct}% since "
            '{decline_month}. In their words, the team has "stopped trusting the exports": '
            "{problem_story} Tickets {recent_refs} are still on their mind.",
        ),
        sentiments=(
            "Frustrated but still engaged; {champion_first} wants this to work.",
            'Cool and guarded. Early tickets were "how do I" questions, now they are about '
            "things being broken.",
        ),
        risks=(
            "High. Usage down {decline_pct}% and the mood has turned; renewal is {renewal_phrase}.",
            "Real churn risk if the export problems continue; {sponsor_first} has not been "
            "involved yet.",
        ),
        steps=(
            "Escalate {last_ticket_ref} with support and get an owner in engineering.",
            "Offer a working session on export settings with a solutions engineer.",
            "Bring {sponsor_first} into the next call.",
            "Review usage again in two weeks.",
        ),
    ),
    "onboarding_kickoff": NoteTemplates(
        kind=("meeting",),
        titles=("Onboarding kickoff", "Kickoff call", "Welcome and onboarding plan"),
        discussions=(
            "Kickoff for {seats} {plan} seats. {champion_first} leads the rollout; "
            "{sponsor_first} joined for the first 15 minutes to set goals. Their first "
            "outcome: {first_outcome}. We agreed a 30-day plan: invite everyone in week one, "
            "first production models in week two, review in week four.",
            "Welcome call. They signed up on {signup} for {seats} seats and want "
            "{first_outcome}. Walked through workspaces, roles and the Generate > Scale "
            "settings. {champion_first} will invite the team this week.",
        ),
        sentiments=(
            "Enthusiastic; they have been waiting for this.",
            "Positive and organised; {champion_first} came with a clear plan.",
        ),
        risks=(
            "Time to value: they need results before {first_deadline}.",
            "Low for now. Adoption depends on {champion_first} finding time to train others.",
        ),
        steps=(
            "Send the getting-started guide and the image-to-3D photo tips.",
            "Book the training session for next week.",
            "{admin_first} to invite the team and assign roles.",
            "Check seat activation in 14 days.",
        ),
    ),
    "onboarding_training": NoteTemplates(
        kind=("meeting",),
        titles=("Training session", "Team training: generation and export", "Hands-on training"),
        discussions=(
            "Ran a one-hour training for {attendee_count} people. Covered text-to-3D prompts, "
            "image-to-3D with side views, AI retopology budgets and {main_export} export. So far "
            "{active_30} of {seats} seats have been active on one day and they have run "
            "{gens_30} generations.",
            "Hands-on session. Everyone generated and exported a model during the call. "
            "Questions were about {question}. Activation so far: up to {active_30} of {seats} "
            "seats on a single day, {gens_30} generations since sign-up.",
        ),
        sentiments=(
            "Good energy; lots of questions.",
            "Positive. A couple of people were sceptical at first but came round.",
        ),
        risks=(
            "Some seats not yet activated.",
            "None beyond normal onboarding risk.",
        ),
        steps=(
            "Share the recording and the {doc_title} page.",
            "Follow up with the people who have not signed in yet.",
            "Onboarding check-in in two weeks.",
        ),
    ),
    "onboarding_checkin": NoteTemplates(
        kind=("call",),
        titles=("Onboarding check-in", "30-day onboarding review", "Onboarding progress"),
        discussions=(
            "Progress since sign-up on {signup}: {gens_30} generations in the last 30 days and "
            "up to {active_30} of {seats} seats active on one day, still ramping. "
            "{champion_first} said {onboarding_story}. {ticket_sentence}",
            "Reviewed the rollout. Usage is climbing week by week, with {gens_30} generations "
            "so far and {exports_30} exports, mostly {main_export}. {onboarding_story_cap}.",
        ),
        sentiments=(
            "Positive; first results landed well internally.",
            "Upbeat but busy; {champion_first} is juggling the rollout with a deadline.",
        ),
        risks=(
            "Ramp is on track; watch seat activation ({active_30} of {seats}).",
            "None new.",
        ),
        steps=(
            "Share best practice for {next_topic}.",
            "Plan the first QBR after 90 days.",
            "Check that every invited user has signed in.",
        ),
    ),
    "champion_departure": NoteTemplates(
        kind=("call", "email"),
        titles=("{champion_first} has left {company}", "Champion change", "New point of contact"),
        discussions=(
            "{interim_first} told me that {champion} left {company}; their last day was "
            "{left_on}. {champion_first} set up most of the pipeline and owned the API keys. "
            "{interim_first} ({interim_title}) is the interim contact but is new to "
            "Meshwright. Seats: {seats} on {plan}.",
            "Learned from {interim_first} that {champion} ({champion_title}) has left, last "
            "day {left_on}. Nobody has formally taken over the Meshwright rollout. "
            "{interim_first} asked how to move {champion_first}'s projects and free the seat.",
        ),
        sentiments=(
            "Neutral; {interim_first} is willing but stretched.",
            "Uncertain. The team likes the tool, but nobody owns it now.",
        ),
        risks=(
            "High. We lost our champion; no replacement named yet and renewal is {renewal_phrase}.",
            "Champion gone and knowledge may leave with them; expect a usage dip.",
        ),
        steps=(
            "Send {interim_first} the seats and roles guide and help transfer ownership.",
            "Ask {sponsor_first} who will own the tool going forward.",
            "Offer a refresher training for the team.",
            "Watch usage weekly for the next month.",
        ),
    ),
    "post_departure": NoteTemplates(
        kind=("call", "meeting"),
        titles=(
            "Check-in after champion change",
            "Follow-up with {interim_first}",
            "Account review after {champion_first}'s departure",
        ),
        discussions=(
            "Since {champion_first} left on {left_on}, generations fell to {gens_30} in the "
            "last 30 days from {gens_prev_30} the month before, and peak daily users are "
            "{active_30} of {seats}. {interim_first} says people are unsure about settings "
            "that {champion_first} used to handle, especially {top_feature}.",
            "Met {interim_first} and {sponsor_first}. Usage is down {decline_pct}% since "
            "{champion_first}'s departure ({gens_30} generations in 30 days). {sponsor_first} "
            "still wants the tool but has not named a new owner.",
        ),
        sentiments=(
            "Lukewarm. Goodwill is there, but no energy behind the rollout.",
            "Polite but distracted; they have a lot on.",
        ),
        risks=(
            "High: no champion and falling usage.",
            "Medium to high; renewal is {renewal_phrase} and nobody owns the relationship.",
        ),
        steps=(
            "Propose {interim_first} as the named owner and run a refresher session.",
            "Send {sponsor_first} a one-page summary of value delivered this year.",
            "Check usage again in two weeks.",
        ),
    ),
    "escalation_call": NoteTemplates(
        kind=("call",),
        titles=(
            "Escalation call: {escalated_ref}",
            "Escalation: {problem_short}",
            "Urgent call about {escalated_ref}",
        ),
        discussions=(
            "{sponsor_first} asked for this call after {escalated_ref} ({escalated_subject}) "
            "was escalated. {problem_story} They tried the workaround from the earlier "
            "tickets {workaround_refs} and it did not help.",
            "Escalation call on {escalated_ref}. {champion_first} walked us through the "
            "problem: {problem_story} The team has a deadline and is losing days. "
            "{sponsor_first} wants a fix date, not more workarounds.",
        ),
        sentiments=(
            'Angry and frustrated. {sponsor_first} said they are "running out of patience".',
            "Tense. {champion_first} was tired and blunt; {sponsor_first} was cold.",
        ),
        risks=(
            "High. An unresolved escalation on a {plan} account with {seats} seats; the "
            "sponsor is now involved.",
            "High; they mentioned looking at other tools if this is not fixed this month.",
        ),
        steps=(
            "Get an engineering owner for {escalated_ref} today and send a written plan.",
            "Daily updates to {champion_first} until it is fixed.",
            "Book a follow-up with {sponsor_first} in one week.",
        ),
    ),
    "escalation_update": NoteTemplates(
        kind=("call", "email", "note"),
        titles=(
            "Escalation update: {escalated_ref} still open",
            "{escalated_ref} status",
            "Internal: escalation at {company}",
        ),
        discussions=(
            "{escalated_ref} has now been open {days_open} days. Engineering reproduced the "
            "problem but has no fix date. {champion_first} followed up again in "
            "{followup_ref}. Usage is {gens_30} generations in 30 days against "
            "{gens_prev_30} before, and recent support ratings were {recent_csat}.",
            "Still no fix for {escalated_ref} after {days_open} days. {champion_first} says "
            "the team now checks every {main_export} file by hand. Latest CSAT from them: "
            "{recent_csat}.",
        ),
        sentiments=(
            "Frustrated and losing trust.",
            "Very negative. {sponsor_first} has stopped replying to my emails directly.",
        ),
        risks=(
            "High. Renewal is {renewal_phrase}; a bad quarter could cost the account.",
            "High; escalation open {days_open} days with negative CSAT.",
        ),
        steps=(
            "Ask our VP of Customer Success to join the next call with {sponsor_first}.",
            "Push engineering for a fix date this week.",
            "Offer service credits if the fix slips again.",
        ),
    ),
    "renewal_prep_healthy": NoteTemplates(
        kind=("call", "meeting"),
        titles=("Renewal prep", "Renewal call", "Renewal on {renewal}"),
        discussions=(
            "Renewal is on {renewal}, {days_to_renewal} days out: {seats} {plan} seats, "
            "{arr} dollars a year. {champion_first} confirmed they will renew and asked for a "
            "quote with {seats_more} seats as an option. Usage is healthy: {gens_30} "
            "generations in 30 days and up to {active_30} of {seats} seats active on one day.",
            "Walked {sponsor_first} through the year: {gens_30} generations in the last 30 "
            "days, {exports_30} exports, peak {active_30} of {seats} seats. The renewal on "
            "{renewal} looks straightforward; procurement needs the quote this week.",
        ),
        sentiments=(
            "Positive; no pushback on price.",
            "Warm. {sponsor_first} called it an easy renewal.",
        ),
        risks=(
            "Low. Only procurement timing.",
            "Low; watch that the PO arrives before {renewal}.",
        ),
        steps=(
            "Send the renewal quote, with an option for {seats_more} seats.",
            "Confirm billing details and PO number with their admin.",
            "Book the first QBR of the new term.",
        ),
    ),
    "renewal_prep_shaky": NoteTemplates(
        kind=("call", "meeting"),
        titles=("Renewal prep: at risk", "Renewal call", "Renewal on {renewal}: seat review"),
        discussions=(
            "Renewal is on {renewal}, {days_to_renewal} days out. {champion_first} wants to "
            "cut seats: only {active_30} of {seats} seats were active at peak in the last 30 "
            "days and generations are down {decline_pct}% since {decline_month}. "
            "{ticket_sentence}",
            "Renewal conversation with {sponsor_first}. They are asking for a discount or "
            "fewer seats, pointing at usage ({gens_30} generations in 30 days, down "
            "{decline_pct}%) and at {recent_refs}.",
        ),
        sentiments=(
            "Cautious; price-sensitive.",
            "Mixed. They like the tool but are not sure it is worth {seats} seats.",
        ),
        risks=(
            "Medium to high: contraction is likely and full churn is possible.",
            "Contraction risk; they mentioned a cheaper competitor.",
        ),
        steps=(
            "Prepare options: same seats at a multi-year price, or {seats_fewer} seats.",
            "Offer a workshop on {next_topic} to lift adoption.",
            "Get {sponsor_first} on a call before {renewal}.",
        ),
    ),
    "free_limits": NoteTemplates(
        kind=("email", "email", "note"),
        titles=("Free workspace at its limits", "Email: generation limit", "Conversion lead"),
        discussions=(
            "{champion_first} wrote in after hitting the 40-generation limit again, this "
            "month on the {limit_day}. All {seats} Free members have been active on the same "
            "day {full_days} times in the last 30 days, and they had {blocked_30} attempts "
            "blocked by the limits. They asked about {free_question}.",
            "Email thread with {champion_first}. The workspace has reached the Free limits "
            "(40 generations and 25 exports a month) in each of the last {months_at_limit} "
            "months. They asked about {free_question}. Pointed them to Starter ($25 per seat per "
            "month billed annually) and Studio ($66).",
        ),
        sentiments=(
            "Positive about the product; price is the only hesitation.",
            "Keen. They clearly rely on Meshwright already.",
        ),
        risks=(
            "Not a churn risk; a conversion candidate. The risk is that they stay on Free and "
            "work around the limits.",
            "None. Good upgrade candidate.",
        ),
        steps=(
            "Offer a 14-day Studio trial.",
            "Send the plans and pricing page and the Free limits page.",
            "Follow up after the monthly reset on the 1st.",
        ),
    ),
    "free_pricing": NoteTemplates(
        kind=("call", "email"),
        titles=("Pricing call", "Upgrade options", "Starter or Studio?"),
        discussions=(
            "Call with {champion_first} about upgrading. They are {seats} people on Free and "
            "hit the generation limit every month ({limit_day} this month). They need "
            "{free_need}. Compared Starter ($30 monthly or $25 annual per seat) with Studio "
            "($80 or $66); auto-parts is Studio only.",
            "{champion_first} asked for a pricing walkthrough. Last 30 days: {gens_30} "
            "successful generations and {blocked_30} attempts blocked by the limit. They "
            "want {free_need} and asked whether there is a startup discount.",
        ),
        sentiments=(
            "Positive; they want to upgrade, budget permitting.",
            "Eager but cautious about cost.",
        ),
        risks=(
            "Conversion risk only: budget.",
            "None for retention; they may wait until their project is funded.",
        ),
        steps=(
            "Send a Starter quote for {seats} seats, annual.",
            "Start a 14-day Studio trial so they can test auto-parts.",
            "Check in after the trial.",
        ),
    ),
    "churn_risk": NoteTemplates(
        kind=("call", "note"),
        titles=("Risk review", "Internal: churn risk", "Check-in on usage drop"),
        discussions=(
            "Usage is sliding: {gens_30} generations in the last 30 days against "
            "{gens_prev_30} the month before. {champion_first} says {churn_story} "
            "{ticket_sentence}",
            "Risk review. Peak daily users down to {active_30} of {seats} seats. "
            "{champion_first} hinted that {churn_story}",
        ),
        sentiments=(
            "Disengaged; short answers.",
            "Negative. {champion_first} was apologetic but clear.",
        ),
        risks=(
            "High. Likely to cancel at the end of the period.",
            "High churn risk.",
        ),
        steps=(
            "Offer a working session to fix their top problem.",
            "Ask {sponsor_first} for a call.",
            "Prepare a save offer.",
        ),
    ),
    "cancellation": NoteTemplates(
        kind=("call",),
        titles=("Cancellation call", "Exit call", "Cancellation and data export"),
        discussions=(
            "{champion_first} confirmed they are cancelling; the plan ends on {churn_date}. "
            "Reason: {churn_story} We went through exporting the workspace from Settings > "
            "Data > Export workspace and what stays on Free after 90 days.",
            "Exit call with {champion_first} and {sponsor_first}. They will not continue "
            "after {churn_date}. {churn_story_cap} Last 30 days: {gens_30} generations, "
            "{active_30} peak daily users.",
        ),
        sentiments=(
            "Calm and polite; the decision was made.",
            "Regretful but firm.",
        ),
        risks=(
            "Churn confirmed.",
            "Lost; door open to come back later.",
        ),
        steps=(
            "Send the data export guide.",
            "Log the churn reason and feedback for product.",
            "Check in again in six months.",
        ),
    ),
    "exports_review": NoteTemplates(
        kind=("call", "meeting"),
        titles=("Export workflow review", "GLB and USDZ exports", "Check-in: AR exports"),
        discussions=(
            "{champion_first} walked through their export pipeline: GLB for the web viewer and "
            "Android, USDZ for iPhone AR Quick Look. In the last 30 days they exported {glb_30} "
            "GLB and {usdz_30} USDZ files. {exports_detail}",
            "Export-focused call. {exports_detail} Volume: {glb_30} GLB and {usdz_30} USDZ "
            "exports in 30 days, {gens_30} generations. {champion_first} also asked about "
            "{question}.",
        ),
        sentiments=(
            "Positive; exports are now a solved problem for them.",
            "Constructive. They push the product hard and give good feedback.",
        ),
        risks=(
            "Low. The USDZ texture limit is a recurring annoyance, not a risk.",
            "None; expansion potential in a second team.",
        ),
        steps=(
            "Send the USDZ export page, with the 25 MB recommendation.",
            "Share the Draco and KTX2 settings that worked for similar AR customers.",
            "Pass their request for 4096 px USDZ textures to product.",
        ),
    ),
}

QUESTIONS = (
    "retopology targets as low as 8,000 triangles for mobile",
    "how the Vehicle preset handles trucks and buses",
    "KTX2 support in their web viewer",
    "sharing models between workspaces through the Shared library",
    "the API rate limits on their plan",
    "plans for sketch-to-3D with more than two views",
    "keeping part names stable between FBX exports",
    "batch exports of more than 50 models",
)
WINS = (
    "concept-to-asset time dropped from about two days to half a day",
    "they shipped a full prop set for a level using auto-parts",
    "product pages with 3D and AR views convert better than photo-only pages",
    "retopology cut their mobile asset budget work by half",
    "the marketing team now reuses game assets for store pages",
)
GOALS = (
    "every new prop started in Meshwright",
    "3D views on all top-selling products",
    "a second team onboarded in its own workspace",
    "the API wired into their nightly build",
)
NEXT_TOPICS = (
    "auto-parts for modular sets",
    "retopology budgets for mobile",
    "USDZ settings for AR",
    "the API and webhooks",
    "image-to-3D with side views",
)
FIRST_OUTCOMES = (
    "a first set of 20 production-ready props",
    "3D views for their 50 best-selling products",
    "AR previews for the launch catalogue",
    "a prototype pipeline from sketches to printable models",
)
ONBOARDING_STORIES = (
    "the first models went into a client review this week",
    "the side-view tip fixed most of their proportion problems",
    "two artists are already using it daily",
)
FREE_QUESTIONS = (
    "buying extra generations without upgrading",
    "FBX and USDZ export",
    "a discount for small studios",
    "export limits on Starter",
)
FREE_NEEDS = (
    "more generations and FBX export",
    "auto-parts and more generations",
    "USDZ export for AR previews",
    "commercial use rights for a client project",
)
EXPORT_DETAILS = (
    "USDZ files were too big for older iPhones until they turned on Optimize for mobile; "
    "now most land under 25 MB.",
    "They asked again for 4096 px textures in USDZ. Faces and labels look soft at the "
    "2048 px limit.",
    "GLB with Draco level 6 and KTX2 gives them files around a fifth of the USDZ size. "
    "They export both from the same model version so the two stay identical.",
    "A batch GLB export of about 40 models took longer than expected; splitting batches "
    "into groups of 20 helped.",
)
PROBLEM_STORIES = {
    "fbx_missing_parts": "FBX exports of models with auto-parts keep dropping small parts, "
    "so artists rebuild bolts and hinges by hand.",
    "glb_slow": "GLB exports that took seconds now take many minutes, and some time out.",
    "vehicle_width": "every vehicle from image-to-3D comes out 15 to 25% too wide, even with "
    "real dimensions set.",
    "bridge_proportions": "bridges and other long structures come out compressed, with short "
    "spans and tall towers.",
    "face_detail": "faces on their avatars lose detail; eyes and lips look painted on.",
    "default": "exports keep failing or coming out wrong, so artists went back to modeling "
    "by hand.",
}
PROBLEM_TITLES = {
    "fbx_missing_parts": "FBX exports missing parts",
    "glb_slow": "slow GLB exports",
    "vehicle_width": "vehicles generated too wide",
    "bridge_proportions": "compressed bridge spans",
    "face_detail": "faces losing detail",
    "default": "broken exports",
}
CHURN_STORIES = {
    "switched_competitor": "they are moving to another tool that their new parent company "
    "already licenses.",
    "budget": "the budget for 3D content was cut for next year.",
    "low_adoption": "only a few designers ever used it, and they could not justify the seats.",
    "product_gaps": "USDZ face detail and export limits did not meet their AR needs.",
    "project_ended": "the film project that needed Meshwright has wrapped.",
}
