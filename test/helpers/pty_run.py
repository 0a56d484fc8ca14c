#!/usr/bin/env python3
"""Run a command on a fresh pseudo-terminal and play a human at it.

Reads a JSON spec on stdin: {"argv": [...], "cwd": "...", "env": {...},
"steps": [{"expect": "Code: ", "send": "123456\\r"}], "timeout": 30}
A step may instead say {"expect": "Code: ", "codeFrom": "<outbox dir>", "offset": 0}: it then
types the code found in the newest .eml there (plus `offset`, to type a wrong one), the
way a human reads the email and types what it says.
Writes JSON to stdout: {"exit": n, "output": "<everything the terminal showed>"}.
The child gets the pty as its controlling terminal, exactly like a shell in a terminal.
"""
import json, os, pty, re, select, sys, time


def code_from(outbox, offset):
    names = sorted(n for n in os.listdir(outbox) if n.endswith(".eml"))
    with open(os.path.join(outbox, names[-1])) as f:
        code = int(re.search(r"Your theguard code: (\d{6})", f.read()).group(1))
    return "%06d\r" % ((code + offset) % 1000000)

spec = json.load(sys.stdin)
deadline = time.time() + spec.get("timeout", 30)
pid, fd = pty.fork()
if pid == 0:
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])

out = b""
steps = list(spec.get("steps", []))
seen = 0  # output already matched by earlier steps
status = None
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            chunk = b""
        if not chunk:
            # The terminal closed: the child is exiting. Collect its status.
            _, status = os.waitpid(pid, 0)
            break
        out += chunk
    if steps:
        idx = out.find(steps[0]["expect"].encode(), seen)
        if idx >= 0:
            seen = idx + len(steps[0]["expect"])
            time.sleep(steps[0].get("delay", 0.1))
            step = steps[0]
            text = code_from(step["codeFrom"], step.get("offset", 0)) if "codeFrom" in step else step["send"]
            os.write(fd, text.encode())
            steps.pop(0)
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        status = st
        # drain what is left
        while True:
            r, _, _ = select.select([fd], [], [], 0.2)
            if not r:
                break
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        break
if status is None:
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    _, status = os.waitpid(pid, 0)
    code = -1
else:
    code = os.waitstatus_to_exitcode(status)
json.dump({"exit": code, "output": out.decode("utf-8", "replace"), "pendingSteps": len(steps)}, sys.stdout)
