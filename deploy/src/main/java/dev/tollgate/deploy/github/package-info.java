/**
 * The GitHub App's identity, in one place: the {@code github:} configuration (secrets from files or the
 * environment), the private key (PKCS#1 or PKCS#8 PEM, JDK crypto only), the App JWT and the cached installation
 * tokens. {@link dev.tollgate.deploy.github.GitHubAppAuth} implements the gate's
 * {@code InstallationTokens} and the workers' {@code GitCredentials}; {@code AllInOne} injects it into both.
 */
package dev.tollgate.deploy.github;
