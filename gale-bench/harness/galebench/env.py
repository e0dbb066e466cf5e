"""Paths, tools and machine facts the harness needs; nothing here starts a server.

Only Debian's /usr/bin/python3 (stdlib) runs this harness; JVMs come from the newest JDK 21+
under /usr/lib/jvm (the one the Maven toolchain picks), or BENCH_JDK.
"""
import os
import platform
import re
import shutil
import subprocess
import time

BENCH_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # gale-bench/
REPO_DIR = os.path.dirname(BENCH_DIR)
HARNESS_DIR = os.path.join(BENCH_DIR, "harness")
PEERS_DIR = os.path.join(BENCH_DIR, "peers")
PYTHON = "/usr/bin/python3"  # Debian's: the one python3-tornado is installed for
JVM_FLAGS = ["-Xmx1g", "-XX:+UseG1GC", "--enable-native-access=ALL-UNNAMED"]
SERVER_CPU = "0"
CLIENT_CPU = "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(*parts):
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def _jdk_version(home):
    try:
        with open(os.path.join(home, "release")) as f:
            m = re.search(r'^JAVA_VERSION="(\d+)', f.read(), re.M)
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def find_jdk():
    """BENCH_JDK if set, else the newest JDK 21+ under /usr/lib/jvm (read from its release file)."""
    if os.environ.get("BENCH_JDK"):
        return os.environ["BENCH_JDK"]
    best, best_v = None, 0
    root = "/usr/lib/jvm"
    for d in sorted(os.listdir(root)) if os.path.isdir(root) else []:
        home = os.path.join(root, d)
        v = _jdk_version(home)
        if not os.path.islink(home) and v >= 21 and v > best_v and os.path.exists(os.path.join(home, "bin", "java")):
            best, best_v = home, v
    if not best:
        raise SystemExit("no JDK 21+ under /usr/lib/jvm; set BENCH_JDK")
    return best


JDK = find_jdk()
JAVA = os.path.join(JDK, "bin", "java")
JCMD = os.path.join(JDK, "bin", "jcmd")


def ensure_debian_packages():
    """wrk and python3-tornado come from Debian; installs them with apt-get when missing and root."""
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk")
    if subprocess.run([PYTHON, "-c", "import tornado"], capture_output=True).returncode != 0:
        missing.append("python3-tornado")
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit("missing Debian packages %s: apt-get install %s" % (missing, " ".join(missing)))
    log("installing Debian packages: %s" % " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    r = subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env, timeout=600)
    if r.returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, env=env, timeout=600, check=True)


def raise_fd_limit():
    """Soft descriptor limit up to the hard one (children inherit it); the hard one cannot be raised."""
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def _out(cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.TimeoutExpired) as e:
        return "n/a (%s)" % e


def pom_property(name, pom=os.path.join(PEERS_DIR, "pom.xml")):
    with open(pom) as f:
        m = re.search(r"<%s>([^<]+)</%s>" % (re.escape(name), re.escape(name)), f.read())
    return m.group(1) if m else "?"


def machine_facts():
    """Ordered (label, value) pairs for the summary's environment table."""
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    commit = _out(["git", "-C", REPO_DIR, "rev-parse", "--short", "HEAD"])
    if _out(["git", "-C", REPO_DIR, "status", "--porcelain", "--untracked-files=no"]):
        commit += " (with uncommitted changes)"
    import resource
    return [
        ("date (UTC)", time.strftime("%Y-%m-%d %H:%M", time.gmtime())),
        ("machine", "%s, %d CPUs, %.1f GB RAM, Linux %s" % (cpu, os.cpu_count(), mem_kb / 1048576, platform.release())),
        ("load average at start", load),
        ("descriptor limit (hard)", str(resource.getrlimit(resource.RLIMIT_NOFILE)[1])),
        ("JDK", _out([JAVA, "-version"]).splitlines()[0] + " (" + JDK + ")"),
        ("JVM flags (every JVM server)", " ".join(JVM_FLAGS)),
        ("wrk", _out(["wrk", "-v"]).splitlines()[0]),
        ("Python / Tornado", _out([PYTHON, "-c", "import sys, tornado; print(sys.version.split()[0], '/', tornado.version)"])),
        ("peer versions", "Vert.x core %s, Netty %s, Undertow %s, Helidon SE %s" % (
            pom_property("vertx.version"), pom_property("bench.netty.version"), pom_property("undertow.version"),
            pom_property("helidon.version"))),
        ("Gale commit", commit),
    ]
