/**
 * Repository access with JGit: what a deploy ships ({@link dev.tollgate.probes.repo.ChangeSet}), read from local
 * repositories or from a bounded on-disk cache of bare mirrors ({@link dev.tollgate.probes.repo.RepoSnapshots}).
 * Everything here blocks: call it from the probe pool, never from an event loop.
 */
package dev.tollgate.probes.repo;
