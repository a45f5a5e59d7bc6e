package dev.tollgate.deploy.bench;

import dev.tollgate.probes.repo.DiffCompare;
import dev.tollgate.probes.secrets.LazyScanCompare;
import dev.tollgate.probes.testing.FixtureRepo;
import java.nio.file.Files;
import java.util.List;

/**
 * The histogram diff alone on the load bench's fresh candidates (#24): the modified file pairs of {@code n} candidates
 * against the baseline, JGit's diff beside {@code LineDiff} (same edits checked, then CPU side by side). Run:
 * {@code bench/run-java.sh dev.tollgate.deploy.bench.FreshDiffCost [candidates]}.
 */
public final class FreshDiffCost {
  private FreshDiffCost() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    FixtureRepo repo = BenchRepo.create(Files.createTempDirectory("tollgate-diff").resolve("repo"));
    List<String> candidates = BenchRepo.candidates(repo, n);
    List<DiffCompare.Pair> pairs = DiffCompare.pairs(repo.dir().resolve(".git").toFile(), candidates);
    System.out.println("bench candidates: " + n + " candidates, " + pairs.size() + " modified file pairs; " + DiffCompare.compare(pairs));
    System.out.println(DiffCompare.time(pairs));
    // The secret scan of each candidate's range, skipping diffs and diffing every file: must be equal (#24).
    long[] scans = LazyScanCompare.compareCommits(repo.dir().resolve(".git").toFile(), candidates);
    System.out.println(LazyScanCompare.summary("bench candidates, secret scan lazy vs every file diffed", scans));
    System.exit(scans[3] == 0 ? 0 : 1);
  }
}
