"""Run llama.cpp's OpenAI-compatible server on 127.0.0.1 for one GGUF file, in its own process.

`agent.llm.llamacpp` starts this script as a child process with three arguments: the model
file, the context size and the max reply length, both in tokens. The protocol on the pipes:

- stdin, first line: the API key that the server requires from its clients.
- stdout, one line: the server's base URL, written once the model is loaded.
- stdin, end of file: the parent has exited or closed the pipe, so the server stops.
- stderr: llama.cpp's log, which the parent sends to a file.

The server runs in a process of its own. In the parent's process its threads compete with
the client for Python's global interpreter lock, and chat requests to an in-process server
took 15 to 40 times longer (SmolLM2-135M, 2 cores, xllamacpp 2026.10.11549). The script
imports only the standard library and xllamacpp.
"""

from __future__ import annotations

import signal
import sys


def main(argv: list[str]) -> int:
    """Serve the model until stdin reaches end of file, then return the exit code."""
    model_path, context_tokens, max_reply_tokens = argv[1], int(argv[2]), int(argv[3])
    api_key = sys.stdin.readline().strip()
    # stdout carries only the URL line, so anything else that Python code prints goes to
    # the log.
    address_out, sys.stdout = sys.stdout, sys.stderr
    # Ctrl-C in the terminal reaches the whole process group. The parent decides what an
    # interrupt means and stops the server itself, so the server must not die of it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.n_ctx = context_tokens
    params.n_predict = max_reply_tokens
    params.n_parallel = 1
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the operating system picks a free port
    params.api_keys = [api_key]
    params.offline = True  # never download a model or a chat template
    params.ui = False
    try:
        server = xllamacpp.Server(params)
    except RuntimeError as error:
        print(f"csm: the llama.cpp server failed to start: {error}", file=sys.stderr)
        return 1

    print(server.listening_address, file=address_out, flush=True)
    sys.stdin.read()
    del server
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
