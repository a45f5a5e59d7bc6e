/** API tokens: stored hashed, scoped to tenants, with roles. */
package dev.tollgate.gate.auth;
