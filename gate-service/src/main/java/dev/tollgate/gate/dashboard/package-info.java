/**
 * The deploy dashboard (issue #11): static pages (HTML, CSS, JavaScript modules from {@code webroot/}) that call the
 * public API with a session cookie; sign-in with an API token; live updates over Server-Sent Events; the
 * environments, calendar and audit API; rule documentation; the OpenAPI document.
 */
package dev.tollgate.gate.dashboard;
