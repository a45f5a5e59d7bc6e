/** The gate's HTTP surface: router, request ids, bearer auth, problem+json errors, the evaluations API, health. */
package dev.tollgate.gate.http;
