/**
 * The audit log: {@link dev.tollgate.contracts.audit.AuditRecorded} messages about what happened around the
 * gate that people must be able to find later (a deploy that bypassed the gate).
 */
package dev.tollgate.contracts.audit;
