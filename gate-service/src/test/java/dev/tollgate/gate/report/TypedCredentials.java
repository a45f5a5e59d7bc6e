package dev.tollgate.gate.report;

import java.util.Map;

/**
 * Credentials people paste into reasons (lock, override vote), each with its masked form: shared by the tests of every
 * place a typed reason is masked. Assembled at run time: Tollgate's own secrets scan reads this file.
 */
public final class TypedCredentials {
  private TypedCredentials() {}

  /** Tollgate's own API token, an Authorization header, a URL's password and an AWS temporary key id: assembled. */
  public static final String TG_TOKEN = "tg" + "_" + "Zq8rT2vLk9PwX4mNb7Yc1Hd6Js3Fg5Ke0UaQ2wE4rT6";
  public static final String BEARER = "Authorization: Bearer " + "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiJjaSJ9.c2lnbmF0dXJl";
  public static final String URL_WITH_PASSWORD = "https://deploy" + ":" + "Hunter2Hunter2" + "@gitlab.example.com/acme/shop.git";
  public static final String AWS_TEMPORARY = "AS" + "IA" + "Q3EGRB5WJ7XKZ2MN";

  /** The masked form of each credential, and the secret part that must be gone. */
  public static final Map<String, String[]> MASKED = Map.of(
      TG_TOKEN, new String[] {"tg_…(redacted)", "Zq8rT2vLk9PwX4mN"},
      BEARER, new String[] {"Authorization: Bearer …(redacted)", "eyJhbGciOiJIUzI1NiJ9"},
      URL_WITH_PASSWORD, new String[] {"https://deploy:…(redacted)@gitlab.example.com/acme/shop.git", "Hunter2Hunter2"},
      AWS_TEMPORARY, new String[] {"ASIA…(redacted)", "Q3EGRB5WJ7XKZ2MN"});
}
