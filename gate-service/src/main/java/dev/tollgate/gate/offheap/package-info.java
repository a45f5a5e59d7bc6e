/**
 * What a gate keeps of its history outside the Java heap: a local RocksDB store per view, a cache of what Kafka holds
 * (wiped on start, rebuilt from the topics like the views), so that heap after GC does not grow with history.
 */
package dev.tollgate.gate.offheap;
