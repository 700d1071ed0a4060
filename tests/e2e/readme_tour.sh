#!/bin/sh
# The README's tour prints what okra prints.  Every fenced block of
# README.md whose lines start with "$ " is a transcript: each command runs
# in order in one scratch folder (the tour's state builds up: the pinned
# demo, check-ins, decisions, plan drafts), and its output must be the
# lines the README shows under it.  A line "..." in the README stands for
# any number of lines; timings ("in 0.3 s") are masked, trailing blanks
# ignored.  The tour starts where a fresh clone is (examples/ beside it);
# the PostHog export the README copies from ~/Downloads is the sample
# tests/presets/posthog/data/posthog-events.csv, and that section runs as
# a side trip from the tour's start.  okra serve runs until stopped: its
# first lines are checked with the port, the folder and the token masked.
# Check-ins are by maria, as the README shows (OKRA_AUTHOR).  README=FILE
# checks another copy of the README (to see the test fail on a changed
# number).
. "$(dirname "$0")/lib.inc"

command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"

mkdir -p "$TMP/home/Downloads" "$TMP/tour" &&
	cp "$SRCDIR/tests/presets/posthog/data/posthog-events.csv" "$TMP/home/Downloads/" &&
	cp -R "$SRCDIR/examples" "$TMP/tour/examples" &&
	rm -rf "$TMP/tour/examples/.okra" ||
	{ echo "FAIL: cannot set up the scratch folder"; exit 1; }

python3 - "${README:-$SRCDIR/README.md}" "$TMP/tour" "$OKRA" "$TMP/home" <<'PY'
import difflib, os, re, signal, socket, subprocess, sys, threading

readme, root, okra, home = sys.argv[1:5]
env = dict(os.environ)
env.update(PATH=os.path.dirname(os.path.abspath(okra)) + os.pathsep + env.get("PATH", ""),
           HOME=home, NO_COLOR="1", OKRA_AUTHOR="maria", TZ="UTC", LC_ALL="C.UTF-8")

# The transcripts: (line number, command, the README's output lines).
blocks, fence = [], False
for no, line in enumerate(open(readme, encoding="utf-8"), 1):
    line = line.rstrip("\n")
    if line.startswith("```"):
        fence = not fence
        if fence:
            blocks.append([])
        continue
    if not fence:
        continue
    if line.startswith("$ "):
        blocks[-1].append((no, line[2:], []))
    elif blocks[-1]:
        blocks[-1][-1][2].append(line)
blocks = [b for b in blocks if b]


def mask(text):
    text = re.sub(r"\bin \d+(\.\d+)? s\b", "in <time> s", text)
    return text


def matches(want, got):
    """want's lines equal got's, a line "..." matching any run of lines."""
    memo = {}

    def m(i, j):
        if (i, j) in memo:
            return memo[i, j]
        if i == len(want):
            r = j == len(got)
        elif want[i].strip() == "...":
            r = any(m(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and want[i] == got[j] and m(i + 1, j + 1)
        memo[i, j] = r
        return r

    return m(0, 0)


def lines(text):
    out = [mask(l).rstrip() for l in text.split("\n")]
    while out and out[-1] == "":
        out.pop()
    return out


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(cwd):
    """okra serve's first two lines, then stop it."""
    port = free_port()
    p = subprocess.Popen(["okra", "serve", "--port", str(port)], cwd=cwd, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # A server that never prints is killed after 10 s: its output ends.
    timer = threading.Timer(10, p.kill)
    timer.start()
    got = []
    while len(got) < 2:
        l = p.stdout.readline()
        if not l:
            break
        got.append(l)
    timer.cancel()
    p.send_signal(signal.SIGINT)
    try:
        p.wait(10)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    text = "".join(got).replace(":%d/" % port, ":8080/")
    return 0, text


def report(want, got):
    """Where the README and the output part: the README's lines the output
    lacks, else (the same lines, in another order or with others between)
    a diff."""
    missing = [l for l in want if l.strip() != "..." and l not in got]
    if missing:
        for l in missing[:10]:
            print("  - %s" % l)
        if len(missing) > 10:
            print("  (and %d more README lines okra does not print)" % (len(missing) - 10))
        near = [g for g in got if difflib.get_close_matches(g, missing[:1], 1, 0.6)]
        for l in near[:3]:
            print("  + %s" % l)
        return
    for d in list(difflib.unified_diff(want, got, lineterm="", n=1))[2:40]:
        print("  " + d)


checks = fails = 0
cwd, status = root, 0
for block in blocks:
    side_trip = None
    for no, cmd, want in block:
        checks += 1
        if re.match(r"okra init \S+ --from ", cmd) and side_trip is None:
            side_trip, cwd = cwd, root
        if cmd.startswith("cd "):
            cwd = os.path.normpath(os.path.join(cwd, cmd[3:].strip()))
            got = ""
        elif cmd == "echo $?":
            got = "%d\n" % status
        elif cmd.split() == ["okra", "serve"]:
            status, got = serve(cwd)
            # The folder and the token are the reader's own.
            got = got.replace(os.path.realpath(root), "/home/me/okra").replace(root, "/home/me/okra")
            want = [re.sub(r"mode 0600\): \S+$", "mode 0600): <token>", l) for l in want]
            got = re.sub(r"mode 0600\): \S+", "mode 0600): <token>", got)
        else:
            r = subprocess.run(cmd, shell=True, cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            status, got = r.returncode, r.stdout
        w, g = [mask(l).rstrip() for l in want], lines(got)
        while w and w[-1] == "":
            w.pop()
        if not matches(w, g):
            fails += 1
            print("FAIL: README.md:%d: '$ %s' prints otherwise (- README, + okra)" % (no, cmd))
            report(w, g)
    if side_trip is not None:
        cwd = side_trip

if checks < 30:
    fails += 1
    print("FAIL: only %d commands found in %s; the tour is longer" % (checks, readme))
print("%d passed, %d failed" % (checks - fails, fails))
sys.exit(1 if fails else 0)
PY
