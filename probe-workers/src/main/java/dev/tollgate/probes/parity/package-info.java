/**
 * The environment parity probe (issue #6): promotion proof from Tollgate's own deploy history, and a comparison
 * of two environments' configuration — files found by common layouts (Spring, Helm, Kustomize, dotenv, JSON,
 * .properties, Terraform) or declared in {@code .tollgate.yml}, flattened to dotted keys by small per-format
 * readers. Values of secret-like keys never leave this package. User documentation: docs/parity.md.
 */
package dev.tollgate.probes.parity;
