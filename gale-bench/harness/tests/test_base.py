"""Tests of --base REF, the A/B against an earlier commit: the option, and the export and build of
the commit in a throw-away git repository with a stand-in build (no Maven):
/usr/bin/python3 -m unittest discover -s gale-bench/harness/tests"""
import contextlib
import io
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from galebench import peers  # noqa: E402
from galebench.__main__ import parse_args  # noqa: E402

# stands in for Maven: leaves what the gale-base peer needs, and counts its runs
FAKE_BUILD = ["sh", "-c", "mkdir -p gale-demos/target/classes && echo run >> build-runs.txt"]


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org"] + list(args),
                          check=True, capture_output=True, text=True).stdout.strip()


class BaseOptionTest(unittest.TestCase):
    def test_base_alone_means_gale_beside_its_base(self):
        a = parse_args(["--base", "42729a1", "--scenarios", "plaintext-c128", "json-c128"])
        self.assertEqual("42729a1", a.base)
        self.assertEqual(["gale", "gale-base"], a.peers)
        self.assertEqual(["plaintext-c128", "json-c128"], a.scenarios)

    def test_peers_given_are_kept(self):
        self.assertEqual(["gale", "gale-base", "vertx"],
                         parse_args(["--base", "HEAD~1", "--peers", "gale", "gale-base", "vertx"]).peers)

    def test_base_and_a_baseline_folder_exclude_each_other(self):
        with contextlib.redirect_stderr(io.StringIO()), self.assertRaises(SystemExit):
            parse_args(["--base", "HEAD~1", "--gale-baseline", "/tmp/x"])

    def test_the_build_packages_and_never_installs(self):
        # `install` would overwrite the Gale snapshot in ~/.m2 that other checkouts resolve
        self.assertIn("package", peers.BASE_BUILD)
        self.assertNotIn("install", peers.BASE_BUILD)
        self.assertNotIn("deploy", peers.BASE_BUILD)
        self.assertEqual(["-pl", "gale-demos", "-am"], peers.BASE_BUILD[peers.BASE_BUILD.index("-pl"):][:3])


class BuildBaseTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.repo = os.path.join(self.tmp.name, "repo")
        self.out = os.path.join(self.tmp.name, "out")
        os.makedirs(self.repo)
        os.makedirs(self.out)
        git(self.repo, "init", "-q")
        self.write("pom.xml", "old")
        git(self.repo, "add", "pom.xml")
        git(self.repo, "commit", "-q", "-m", "old")
        self.old = git(self.repo, "rev-parse", "HEAD")
        git(self.repo, "tag", "v-old")
        self.write("pom.xml", "new")
        git(self.repo, "commit", "-q", "-am", "new")
        self.write("pom.xml", "uncommitted")

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, text):
        with open(os.path.join(self.repo, name), "w") as f:
            f.write(text)

    def build(self, ref):
        return peers.build_base(ref, repo=self.repo, tmp=self.out, build=FAKE_BUILD)

    def read(self, d, name):
        with open(os.path.join(d, name)) as f:
            return f.read()

    def test_exports_the_commit_and_builds_it_in_a_folder_of_its_own(self):
        d, sha = self.build("HEAD~1")
        self.assertEqual(self.old, sha)
        self.assertEqual(os.path.join(self.out, "gale-base-" + self.old[:12]), d)
        self.assertEqual("old", self.read(d, "pom.xml"))  # the commit's files, not the work tree's
        self.assertFalse(os.path.exists(os.path.join(d, ".git")))
        self.assertTrue(os.path.isdir(os.path.join(d, "gale-demos", "target", "classes")))
        self.assertEqual("run\n", self.read(d, "build-runs.txt"))
        self.assertIn(self.old, self.read(d, peers.BASE_DONE))
        # nothing registered in the repository, its work tree untouched
        self.assertEqual(1, len(git(self.repo, "worktree", "list").splitlines()))
        self.assertEqual("uncommitted", self.read(self.repo, "pom.xml"))
        # and the peer runs that folder's classes
        p = peers.gale_baseline_peer(d, "Gale at %s" % sha[:7])
        self.assertIsNone(p.skip_reason)
        self.assertEqual("Gale at %s" % sha[:7], p.label)
        self.assertIn("%s/gale-demos/target/classes" % d, " ".join(p.command(28081, [])))

    def test_a_finished_build_is_reused(self):
        d1, _ = self.build("v-old")
        d2, _ = self.build(self.old[:7])
        self.assertEqual(d1, d2)
        self.assertEqual("run\n", self.read(d2, "build-runs.txt"))

    def test_a_cut_build_is_exported_and_built_again(self):
        d, _ = self.build("v-old")
        os.remove(os.path.join(d, peers.BASE_DONE))
        with open(os.path.join(d, "stale.txt"), "w") as f:
            f.write("left by the cut build")
        self.build("v-old")
        self.assertFalse(os.path.exists(os.path.join(d, "stale.txt")))
        self.assertEqual("run\n", self.read(d, "build-runs.txt"))

    def test_a_failed_build_is_not_marked_built(self):
        with self.assertRaises(subprocess.CalledProcessError):
            peers.build_base("v-old", repo=self.repo, tmp=self.out, build=["false"])
        self.assertFalse(os.path.exists(os.path.join(peers.base_dir(self.old, self.out), peers.BASE_DONE)))

    def test_unknown_ref(self):
        with self.assertRaises(SystemExit):
            self.build("no-such-ref")


if __name__ == "__main__":
    unittest.main()
