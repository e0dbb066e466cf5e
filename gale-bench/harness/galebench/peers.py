"""The servers under test. Gale is just another peer: a command that serves /plaintext and /json
on 127.0.0.1 --port N. JVM peers all run on the same JDK with the same flags (env.JVM_FLAGS)."""
import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Callable, List, Optional

from .env import JAVA, JVM_FLAGS, PEERS_DIR, PYTHON, REPO_DIR, log


@dataclass
class Peer:
    name: str
    label: str
    jvm: bool
    command: Callable[[int, List[str]], List[str]]  # (port, extra JVM flags) -> argv
    skip_reason: Optional[str] = None  # set when the peer cannot run here; the harness says so
    notes: List[str] = field(default_factory=list)
    ready_path: str = "/plaintext"  # what start-to-first-response (and the readiness wait) asks for
    check: Optional[Callable[[int], List[str]]] = None  # response checks (None: TechEmpower's /plaintext, /json)
    warm_paths: tuple = ("/plaintext", "/json")  # warm-up: an equal share of the time on each


def _jar(module, artifact):
    return os.path.join(PEERS_DIR, module, "target", artifact + ".jar")


def _java_peer(name, label, module, artifact, *args):
    def cmd(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-jar", _jar(module, artifact), "--port", str(port)] + list(args)
    return Peer(name, label, True, cmd)


GALE_DEMO_CMD = ["./gale-demo", "bench", "--port", "{port}"]


def demos_cp(groups, root=REPO_DIR):
    """The demos' class path in checkout ROOT: their classes, target/lib (what every demo needs)
    and the target/lib-GROUP directories of GROUPS, the jar groups ./gale-demo's demo_libs table
    gives a demo (jdbc: bench and fortunes; metrics and nats: websocket and chat)."""
    parts = ["classes", "lib/*"] + ["lib-%s/*" % g for g in groups]
    return ":".join("%s/gale-demos/target/%s" % (root, part) for part in parts)


GALE_DEMOS_CP = demos_cp(["jdbc"])


def gale_has_bench_demo():
    """Asks ./gale-demo --help (which lists the demos without starting a JVM) for a `bench` demo."""
    script = os.path.join(REPO_DIR, "gale-demo")
    if not os.access(script, os.X_OK):
        return False
    r = subprocess.run([script, "--help"], cwd=REPO_DIR, capture_output=True, text=True, timeout=30)
    for line in (r.stdout + r.stderr).splitlines():
        if line.startswith("demos:") and "bench" in line.split(":", 1)[1].split():
            return True
    return False


def _gale_demo_command(demo):
    """The java command ./gale-demo execs for `demo`, with the JVM flags every JVM peer gets."""
    def cmd(port, extra):
        return [JAVA] + JVM_FLAGS + extra + ["-cp", GALE_DEMOS_CP, "io.gale.demos.Demos", demo, "--port", str(port)]
    return cmd


def gale_peer(command_template=None):
    """Gale's `bench` demo. By default started with the java command ./gale-demo execs (same JDK and
    flags as every JVM peer, classes built by the harness) rather than through the script, whose JDK
    search starts several JVMs and would be counted in start-to-first-response. --gale-command
    replaces it, e.g. --gale-command './gale-demo bench --port {port}'."""
    if command_template:
        def cmd(port, extra):
            return [a.replace("{port}", str(port)) for a in shlex.split(command_template)]
    else:
        cmd = _gale_demo_command("bench")
    p = Peer("gale", "Gale", command_template is None, cmd)
    if command_template is None and not gale_has_bench_demo():
        p.skip_reason = ("Gale's benchmark server does not exist yet: `./gale-demo --help` lists no `bench` demo "
                         "(register it in gale-demos Demos.java). Gale is left out of this run.")
    return p


def gale_baseline_peer(root=None, label=None):
    """Another build of Gale's `bench` demo, measured beside this one in the same rounds: a
    checkout of an earlier commit, built (mvn -DskipTests -pl gale-demos -am package) in ROOT,
    given with --gale-baseline ROOT, or built by the harness from a commit with --base REF
    (build_base). Its ratio to `gale` is the same-run comparison a refactoring must pass
    (issue 16: no loss within noise)."""
    def cmd(port, extra):
        cp = demos_cp(["jdbc"], root)
        return [JAVA] + JVM_FLAGS + extra + ["-cp", cp, "io.gale.demos.Demos", "bench", "--port", str(port)]
    p = Peer("gale-base", label or "Gale (baseline build)", True, cmd)
    if root is None:
        p.skip_reason = "gale-base needs --base REF (a commit the harness builds) or --gale-baseline DIR (an earlier commit's checkout, its gale-demos built)"
    elif not os.path.isdir(os.path.join(root, "gale-demos", "target", "classes")):
        p.skip_reason = "--gale-baseline %s has no gale-demos/target/classes: build it first" % root
    return p


# The build of --base REF: the repository's own build of the bench demo, `package` and never
# `install`, so the Gale snapshot in ~/.m2 that other checkouts resolve stays as it is (the
# reactor resolves gale and gale-testing from their target/ folders).
BASE_BUILD = ["mvn", "-q", "-B", "-ntp", "-DskipTests", "-Dmaven.javadoc.skip=true", "-pl", "gale-demos", "-am",
              "package"]
BASE_DONE = ".gale-base-built"  # written last: a folder without it is a failed or cut build


def resolve_commit(ref, repo=REPO_DIR):
    """The full commit id `ref` names in `repo` (a commit id, tag, branch, HEAD~3 ...)."""
    r = subprocess.run(["git", "-C", repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}"],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0 or not r.stdout.strip():
        raise SystemExit("--base %s: no such commit in %s" % (ref, repo))
    return r.stdout.strip()


def base_dir(sha, tmp="/tmp"):
    return os.path.join(tmp, "gale-base-" + sha[:12])


def build_base(ref, repo=REPO_DIR, tmp="/tmp", build=BASE_BUILD):
    """Commit `ref` of `repo`, exported (git archive: the files of the commit, no .git, nothing
    registered in the repository) to TMP/gale-base-<commit> and built there with `build`.
    A folder whose build finished is reused by later runs of the same commit; a folder left by a
    failed or cut build is exported and built again. Returns (folder, full commit id)."""
    sha = resolve_commit(ref, repo)
    d = base_dir(sha, tmp)
    done = os.path.join(d, BASE_DONE)
    if os.path.exists(done):
        log("base: %s already built in %s" % (sha[:12], d))
        return d, sha
    if os.path.exists(d):
        shutil.rmtree(d)  # our own folder (named after the commit), from a build that did not finish
    os.makedirs(d)
    log("base: git archive %s | tar -x -C %s" % (sha[:12], d))
    archive = subprocess.Popen(["git", "-C", repo, "archive", "--format=tar", sha], stdout=subprocess.PIPE)
    untar = subprocess.run(["tar", "-x", "-C", d], stdin=archive.stdout, timeout=600)
    archive.stdout.close()
    if archive.wait(60) != 0 or untar.returncode != 0:
        raise SystemExit("--base %s: git archive | tar failed" % ref)
    log("base: (cd %s && %s)" % (d, shlex.join(build)))
    subprocess.run(build, cwd=d, check=True, timeout=1800)
    with open(done, "w") as f:
        f.write("%s\n%s\n" % (sha, " ".join(build)))
    return d, sha


def gale_helloworld_peer():
    """The seed's hello world (Application + RequestHandler, GET / -> "Hello, world"): the app the
    start-to-first-response target speaks of. Measured for start-up only, next to `bench`, which
    serves the TechEmpower paths from a bare HttpServer."""
    return Peer("gale-helloworld", "Gale helloworld (Application)", True, _gale_demo_command("helloworld"),
                ready_path="/")


def gale_helloworld_launcher_peer():
    """The same hello world started the way a new user starts it: ./gale-demo helloworld, with the
    launcher's JDK search, default flags and start-up cache (prepare_launcher records the cache
    before the timed runs)."""
    return Peer("gale-helloworld-launcher", "Gale helloworld via ./gale-demo", False,
                lambda port, extra: [os.path.join(REPO_DIR, "gale-demo"), "helloworld", "--port", str(port)],
                ready_path="/")


def tornado_helloworld_peer():
    """Tornado's hello world demo (tornado.options, Application, one handler), for the start-up
    comparison with Gale's helloworld."""
    return Peer("tornado-helloworld", "Tornado hello world (demo)", False,
                lambda port, extra: [PYTHON, os.path.join(PEERS_DIR, "tornado", "helloworld.py"), "--port=%d" % port],
                ready_path="/")


def prepare_launcher():
    """Untimed: lets ./gale-demo build what is missing and record hello world's start-up cache, so
    the timed runs measure a start as a user's second and later ones are."""
    log("prepare: ./gale-demo --prepare helloworld")
    subprocess.run([os.path.join(REPO_DIR, "gale-demo"), "--prepare", "helloworld"], cwd=REPO_DIR, check=True,
                   timeout=900)


def build_gale():
    # no javadoc jars (as .ci/run): a doclint warning must not stop a benchmark
    log("build: mvn -q -B -DskipTests -Dmaven.javadoc.skip=true -pl gale-demos -am package (Gale's bench demo)")
    subprocess.run(["mvn", "-q", "-B", "-DskipTests", "-Dmaven.javadoc.skip=true", "-pl", "gale-demos", "-am", "package"], cwd=REPO_DIR,
                   check=True, timeout=900)


def build_peers():
    log("build: mvn -q -B -f gale-bench/peers/pom.xml package -DskipTests")
    subprocess.run(["mvn", "-q", "-B", "-f", os.path.join(PEERS_DIR, "pom.xml"), "package", "-DskipTests"],
                   cwd=REPO_DIR, check=True, timeout=900)


def all_peers(gale_command=None, gale_baseline=None, baseline_label=None):
    """Every peer the harness knows, in the default order of a round."""
    peers = [
        gale_peer(gale_command),
        gale_baseline_peer(gale_baseline, baseline_label),
        Peer("tornado", "Tornado (1 process)", False,
             lambda port, extra: [PYTHON, os.path.join(PEERS_DIR, "tornado", "server.py"), "--port", str(port)]),
        _java_peer("vertx", "Vert.x (verticle per core)", "vertx", "peer-vertx"),
        _java_peer("netty-nio", "Netty NIO", "netty", "peer-netty", "--transport", "nio"),
        _java_peer("netty-epoll", "Netty epoll", "netty", "peer-netty", "--transport", "epoll"),
        _java_peer("undertow", "Undertow", "undertow", "peer-undertow"),
        _java_peer("helidon", "Helidon SE", "helidon", "peer-helidon"),
    ]
    peers += [gale_helloworld_peer(), gale_helloworld_launcher_peer(), tornado_helloworld_peer()]
    return {p.name: p for p in peers}


def connhold_command(port, n, source, timeout_s):
    """One idle-connection client process (small heap: it only holds sockets)."""
    return [JAVA, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", _jar("connhold", "connhold"),
            "--port", str(port), "--connections", str(n), "--sources", source, "--timeout", str(timeout_s),
            "--lifetime", "900"]


def chart_command(csv_path, out_dir):
    return [JAVA, "-Djava.awt.headless=true", "-jar", _jar("chart", "chart"), csv_path, out_dir]
