/** Lock commands from every channel (API, Slack): validated the same way, published, answered by the environment's gate. */
package dev.tollgate.gate.lock;
