/** The server's policy: which probes each environment requires, and their deadlines. */
package dev.tollgate.gate.policy;
