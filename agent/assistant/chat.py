"""A chat session: slash commands, the current account, and history kept under CSM_HOME."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from agent.assistant.agent import Answer, Event, answer
from agent.assistant.tools import ToolContext, apply_action
from agent.errors import CsmError, InputError
from agent.llm import CONNECT_HINT

HELP = """Commands:
  /account NAME  set the current account; questions without one refer to it
  /account       clear the current account
  /model         show the model in use and how to change it
  /pending       list the actions waiting for your confirmation
  /confirm N     carry out pending action N (a follow-up email, a health override)
  /discard N     drop pending action N
  /save FILE     write this session's conversation to FILE as Markdown
  /reset         forget the conversation so far (here and in the saved history)
  /help          show this help
  /quit          leave (or Ctrl-D)"""
COMMANDS = (
    "/account",
    "/model",
    "/pending",
    "/confirm",
    "/discard",
    "/save",
    "/reset",
    "/help",
    "/quit",
    "/exit",
)
# Messages of earlier sessions given back to the model as context when a chat starts.
HISTORY_MESSAGES = 20


def _action_number(command: str, argument: str) -> int:
    if not argument.isdigit():
        raise InputError(f"Give the action's number: {command} N (/pending lists them).")
    return int(argument)


class EndSession(Exception):
    """The user asked to leave the chat."""


class ChatSession:
    """One terminal conversation; `history.jsonl` under CSM_HOME carries it across sessions."""

    def __init__(self, ctx: ToolContext):
        self.ctx = ctx
        self.path = ctx.settings.home / "chat" / "history.jsonl"
        self.history: list[dict] = self._load()
        self.transcript: list[tuple[str, str]] = []
        self.account: str | None = None

    def _load(self) -> list[dict]:
        if not self.path.is_file():
            return []
        messages = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a crash; the rest of the history is intact
            if record.get("role") in ("user", "assistant") and isinstance(
                record.get("content"), str
            ):
                messages.append({"role": record["role"], "content": record["content"]})
        return messages[-HISTORY_MESSAGES:]

    def _append(self, role: str, content: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"at": datetime.now(UTC).isoformat(), "role": role, "content": content}
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")

    def command(self, line: str) -> str:
        """Run a slash command and return what to show."""
        name, _, argument = line.partition(" ")
        argument = argument.strip()
        if name in ("/quit", "/exit"):
            raise EndSession
        if name == "/help":
            return HELP
        if name == "/reset":
            self.history.clear()
            self.transcript.clear()
            if self.path.exists():
                self.path.unlink()
            return "Conversation cleared."
        if name == "/account":
            self.account = self.ctx.store.resolve_account(argument).name if argument else None
            return f"Current account: {self.account or 'none'}"
        if name == "/model":
            if self.ctx.model is None:
                return "No model is configured. " + CONNECT_HINT
            return f"Model: {self.ctx.model_name}. Set CSM_MODEL and restart the chat to change it."
        if name == "/save":
            return self._save(argument)
        if name == "/pending":
            pending = self.ctx.actions.pending.values()
            return "\n".join(f"[{a.number}] {a.summary}" for a in pending) or "Nothing pending."
        if name in ("/confirm", "/discard"):
            action = self.ctx.actions.take(_action_number(name, argument))
            if name == "/discard":
                return f"Dropped: {action.summary}."
            return apply_action(self.ctx, action)
        return f"Unknown command {name!r}. /help lists the commands."

    def _save(self, argument: str) -> str:
        if not argument:
            raise InputError("Give a file name: /save FILE.")
        path = Path(argument).expanduser().resolve()
        home = self.ctx.settings.home.expanduser().resolve()
        if path == home or home in path.parents:
            raise InputError(
                f"/save {argument}: {path} is inside the csm home {home}, which contains the "
                "store. Save the chat somewhere else."
            )
        if path.exists():
            raise InputError(f"/save {argument}: {path} already exists. Choose a new file name.")
        lines = [f"# csm chat, saved {datetime.now(UTC):%Y-%m-%d %H:%M} UTC", ""]
        for speaker, text in self.transcript:
            lines += [f"**{speaker}:**", "", text, ""]
        try:
            path.write_text("\n".join(lines), encoding="utf-8")
        except OSError as error:
            raise InputError(
                f"/save {argument}: cannot write {path} ({error.strerror or error}). Give a "
                "path in a folder you can write to."
            ) from None
        exchanges = len(self.transcript) // 2
        return f"Saved {exchanges} exchange{'s' if exchanges != 1 else ''} to {path}"

    def ask(self, line: str, on_event: Event | None = None) -> Answer:
        """Answer one request in the context of the current account and the history."""
        question = f"{line} (about {self.account})" if self.account else line
        result = answer(self.ctx, question, self.history, on_event)
        self.history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": result.text},
        ]
        self.transcript += [("You", line), ("csm", result.text)]
        self._append("user", question)
        self._append("assistant", result.text)
        return result


__all__ = ["COMMANDS", "ChatSession", "CsmError", "EndSession"]
