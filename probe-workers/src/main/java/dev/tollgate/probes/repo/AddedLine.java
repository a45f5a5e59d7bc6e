package dev.tollgate.probes.repo;

/** A line a change adds: its 1-based number in the new file and its text (without the line break). */
public record AddedLine(int number, String text) {}
