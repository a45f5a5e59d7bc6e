package dev.tollgate.probes.secrets;

import com.google.re2j.Matcher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One pass over a text: the keyword automaton walks every byte once; only a line on which some rule's keyword
 * occurs is decoded and handed to that rule's pattern (issue #3). Stateless apart from the rule book; each call
 * keeps its own state, so one scanner serves every thread.
 */
final class TextScanner {
  /**
   * A value a rule found, before redaction. Never leaves the secrets package.
   *
   * @param example the documented example credential the value is, or null for a credential: an example is only a
   *     candidate in a deployable config file, where it is reported as INFO
   */
  record Candidate(int rule, int line, String value, KnownExample example) {}

  /** Inline markers that keep a line's match out (see {@code allowedInline}). */
  static final List<String> INLINE_ALLOW = List.of("tollgate:allow", "gitleaks:allow", "trufflehog:ignore",
      "pragma: allowlist secret");

  /** Shortest value a key may be assigned for an {@code inKey} rule to run (generic values need 8 characters). */
  private static final int MIN_VALUE = 8;
  /**
   * A file check ({@link #mayMatchLines}) answers "may match" after this many lines on which patterns ran in vain: it
   * reads the whole new side, where the diff it saves reads only the added lines, so a large file of many keyword
   * lines that all fail (a config file of {@code password: ${VAR}}) would cost a full pattern scan on every commit that
   * touches it. Past 64 such lines, diffing and scanning the added lines is the cheaper bet.
   */
  static final int PROBE_PATTERN_LINES = 64;

  private final RuleBook book;
  private final ValueCheck check;
  /**
   * Each thread's buffers, reused from file to file: what is sized by the rule count (which rules apply, which a
   * line woke) cost more to allocate and clear for each of thousands of small files than scanning them did.
   */
  private final ThreadLocal<Scratch> scratch;

  TextScanner(RuleBook book) {
    this.book = book;
    this.check = new ValueCheck(book);
    this.scratch = ThreadLocal.withInitial(() -> new Scratch(book.rules().size()));
  }

  /** Per-thread buffers of a pass; {@code busy} while a pass holds them (a nested scan takes fresh ones). */
  private static final class Scratch {
    /** True for every rule but the path-limited ones the current file's path turns off. */
    final boolean[] applies;
    /** The line serial on which each rule was last woken: never cleared, the serial only grows. */
    final int[] stamp;
    final int[] lineRules;
    int serial;
    int[] hitRule = new int[16];
    int[] hitStart = new int[16];
    boolean busy;

    Scratch(int rules) {
      applies = new boolean[rules];
      java.util.Arrays.fill(applies, true);
      stamp = new int[rules];
      lineRules = new int[rules];
    }
  }

  /**
   * Scans {@code text[0, length)}.
   *
   * @param path the file's path (rules limited to paths, and messages)
   * @param lineNumbers the file line of each text line when the text is a commit's added lines (not contiguous),
   *     or null when the text is the whole file
   * @param policy the repository's stopwords
   */
  List<Candidate> scan(String path, byte[] text, int length, int[] lineNumbers, RepoSecretsConfig policy) {
    return scan(path, text, length, lineNumbers, policy, false);
  }

  /**
   * Scans {@code text} as {@link #scan(String, byte[], int, int[], RepoSecretsConfig)} does, or, with
   * {@code anywhere}, for redaction: every rule applies whatever the path, and {@code tollgate:allow} on a line is
   * ignored (text quoted in a message must not be able to exempt itself).
   */
  List<Candidate> scan(String path, byte[] text, int length, int[] lineNumbers, RepoSecretsConfig policy, boolean anywhere) {
    List<Match> found = matches(path, text, length, lineNumbers, anywhere);
    if (found.isEmpty()) {
      return List.of();
    }
    List<Candidate> out = new ArrayList<>();
    for (Match m : dropDuplicates(found)) {
      // Checked after the generic ones yielded: a value a specific rule matched and rejected (a low-entropy fixture
      // token) must not come back through a generic rule.
      SecretRule rule = book.rule(m.rule());
      KnownExample example = check.example(rule, m.value());
      if (example != null) {
        if (book.deployableConfig(path) && out.stream().noneMatch(c -> c.line() == m.line() && c.example() == example)) {
          out.add(new Candidate(m.rule(), m.line(), m.value(), example));
        }
      } else if (check.accepts(rule, m.value(), m.user(), policy)) {
        out.add(new Candidate(m.rule(), m.line(), m.value(), null));
      }
    }
    return out;
  }

  /**
   * What the patterns matched where the keyword pre-filter and the checks on the bytes let them run, before values are
   * checked and duplicates dropped (what {@code PrefilterReachabilityTest} holds against every pattern run everywhere).
   */
  List<Match> matches(String path, byte[] text, int length, int[] lineNumbers, boolean anywhere) {
    return withPass(path, text, length, lineNumbers, anywhere, false, pass -> {
      book.index().scan(text, 0, length, pass);
      pass.lineEnd(length);
      return pass.found;
    });
  }

  /** Runs {@code body} on a pass over this thread's buffers (fresh ones when a scan on this thread holds them). */
  private <T> T withPass(String path, byte[] text, int length, int[] lineNumbers, boolean anywhere, boolean probe,
      Function<Pass, T> body) {
    Scratch own = scratch.get();
    Scratch buffers = own.busy ? new Scratch(book.rules().size()) : own;
    Pass pass = null;
    try {
      pass = new Pass(path, text, length, lineNumbers, anywhere, buffers, probe);
      return body.apply(pass);
    } finally {
      if (pass != null) {
        pass.release();
      } else {
        buffers.busy = false; // the pass failed to set up (a rule's path check threw): the buffers are not in use
      }
    }
  }

  /**
   * False when no line of {@code text}, the new side of a file at {@code path}, can give a match, and so neither can
   * any subset of its lines: the lines a commit added to the file give no candidate, and the diff that would find them
   * is not needed (issue #24). The same pass as a scan, stopped at the first line that might match; a line is
   * judged alone, as it is among the added lines:
   * <ul>
   *   <li>a keyword, its case, and the checks on the bytes around it (boundary, key, assignment, stopped key, what must
   *       follow on the line) read only that line, and its end looks the same in both texts (a line break or the end
   *       of the text), so a check that fails on the whole file fails on the added lines (the one difference, the last
   *       line of either text, only turns a passing check of the file into a failing one of the added lines);</li>
   *   <li>a rule that reads several lines sees, among the added lines, other lines than in the file: any of its
   *       keywords that passes the line's checks answers true;</li>
   *   <li>a line reads the same among the added lines only when it is ASCII (the diff decodes a line that is not UTF-8
   *       in the platform's charset or byte by byte, the scan with replacement characters; a byte around a keyword may
   *       then read otherwise): on a line with another byte, any keyword of a rule of the path answers true;</li>
   *   <li>a rule of this path without keywords runs on every line: true;</li>
   *   <li>after {@link #PROBE_PATTERN_LINES} lines on which patterns had to run and found nothing: true.</li>
   * </ul>
   */
  boolean mayMatchLines(String path, byte[] text) {
    return withPass(path, text, text.length, null, false, true, pass -> {
      if (pass.keywordless.length > 0) {
        return true;
      }
      if (book.index().scanUntilDone(text, 0, text.length, pass) == text.length && !pass.maybe) {
        pass.lineEnd(text.length);
      }
      return pass.maybe;
    });
  }

  /**
   * A match before its value is checked.
   *
   * @param line the line the value starts on
   * @param first the line the whole match starts on (the keyword's, for a rule that reads several lines)
   * @param last the line the value ends on
   */
  record Match(int rule, int line, int first, int last, String value, String user) {}

  /**
   * A generic rule's value also matched by a specific rule on the same line is left to the specific rule, and a
   * rule's match replaces the matches of the rules it supersedes on the lines it spans.
   */
  private List<Match> dropDuplicates(List<Match> found) {
    if (found.size() < 2) {
      return found;
    }
    List<Match> out = new ArrayList<>(found.size());
    for (Match c : found) {
      if ((book.rule(c.rule()).generic() && coveredBySpecific(c, found)) || superseded(c, found)) {
        continue;
      }
      boolean dup = false;
      for (Match o : out) {
        if (o.rule() == c.rule() && o.line() == c.line() && o.value().equals(c.value())) {
          dup = true;
          break;
        }
      }
      if (!dup) {
        out.add(c);
      }
    }
    return out;
  }

  private boolean superseded(Match c, List<Match> found) {
    for (Match o : found) {
      if (c.line() >= o.first() && c.line() <= o.last()) {
        for (int r : book.supersedes(o.rule())) {
          if (r == c.rule()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean coveredBySpecific(Match c, List<Match> found) {
    for (Match o : found) {
      if (o.line() == c.line() && !book.rule(o.rule()).generic()
          && (o.value().contains(c.value()) || c.value().contains(o.value()))) {
        return true;
      }
    }
    return false;
  }

  /** The state of one scan: the current line, the rules its keywords woke and where. */
  private final class Pass implements KeywordIndex.Sink {
    private final byte[] text;
    private final int length;
    private final int[] lineNumbers;
    private final Scratch scratch;
    private final boolean[] applies;
    private final int[] keywordless;
    private final int[] stamp;
    private final int[] lineRules;
    private final List<Match> found = new ArrayList<>();
    private int nLineRules;
    private int[] hitRule;
    private int[] hitStart;
    private int nHits;
    private final boolean anywhere;
    /** Only decides whether some line might match ({@link #mayMatchLines}). */
    private final boolean probe;
    /** In a probe: some line might match, the pass is done. */
    private boolean maybe;
    /** In a probe: lines on which patterns ran and found nothing (see {@link #PROBE_PATTERN_LINES}). */
    private int patternLines;
    /** In a probe: a keyword of a rule of this path occurs on the current line, whatever its checks said. */
    private boolean keywordOnLine;
    private int lineIndex;
    private int lineStart;
    /** This line's serial in {@code stamp}. */
    private int serial;

    Pass(String path, byte[] text, int length, int[] lineNumbers, boolean anywhere, Scratch scratch, boolean probe) {
      this.probe = probe;
      this.text = text;
      this.length = length;
      this.lineNumbers = lineNumbers;
      this.anywhere = anywhere;
      this.scratch = scratch;
      scratch.busy = true;
      this.applies = scratch.applies;
      this.stamp = scratch.stamp;
      this.lineRules = scratch.lineRules;
      this.hitRule = scratch.hitRule;
      this.hitStart = scratch.hitStart;
      int[] always = null;
      int nAlways = 0;
      for (int r : book.pathLimited()) {
        applies[r] = anywhere || book.rule(r).appliesTo(path);
        if (applies[r] && book.rule(r).keywords().isEmpty()) {
          always = always == null ? new int[book.pathLimited().length] : always;
          always[nAlways++] = r;
        }
      }
      this.keywordless = always == null ? NONE : java.util.Arrays.copyOf(always, nAlways);
      if (scratch.serial > Integer.MAX_VALUE - length - 2) {
        java.util.Arrays.fill(stamp, 0); // the serial would wrap: start again
        scratch.serial = 0;
      }
      this.serial = ++scratch.serial;
    }

    /** Gives the buffers back to the thread (the arrays may have grown). */
    void release() {
      scratch.hitRule = hitRule;
      scratch.hitStart = hitStart;
      scratch.serial = serial;
      scratch.busy = false;
    }

    @Override
    public boolean done() {
      return maybe;
    }

    @Override
    public void wake(int rule, int start) {
      if (!applies[rule] || maybe) {
        return;
      }
      keywordOnLine = true;
      SecretRule r = book.rule(rule);
      boolean severalLines = probe && r.lines() > 1;
      if (severalLines && r.anchor() == SecretRule.Anchor.LINE) {
        maybe = true; // sees other lines among the added ones than in the file
        return;
      }
      if (r.anchor() == SecretRule.Anchor.LINE) {
        if (stamp[rule] != serial) {
          stamp[rule] = serial;
          lineRules[nLineRules++] = rule;
        }
        return;
      }
      // Cheap checks on the bytes before any pattern runs: most keyword occurrences end here.
      if ((r.boundary() && start > lineStart && isAlnum(text[start - 1]))
          || (r.inKey() && !(keyStart(start) && assigned(start, r) && !keyStopped(start, r)))
          || (r.lineContains() != null && !severalLines && !followedBy(start, r.lineContains(), r.lines()))) {
        return;
      }
      if (severalLines) {
        maybe = true; // what follows on the next lines differs among the added lines: no check of them here
        return;
      }
      for (int i = nHits - 1; i >= 0 && hitStart[i] == start; i--) {
        if (hitRule[i] == rule) {
          return; // two keywords of one rule at one place
        }
      }
      if (nHits == hitRule.length) {
        hitRule = java.util.Arrays.copyOf(hitRule, nHits * 2);
        hitStart = java.util.Arrays.copyOf(hitStart, nHits * 2);
      }
      hitRule[nHits] = rule;
      hitStart[nHits++] = start;
    }

    @Override
    public void lineEnd(int offset) {
      if (probe && keywordOnLine) {
        // A line that is not ASCII may read otherwise among the added lines (the diff decodes a line that is not UTF-8
        // in the platform's charset or byte by byte, where a byte check around the keyword may then pass): the
        // keyword alone decides. An ASCII line reads the same: its checks and patterns decide.
        if (!ascii(lineStart, offset)) {
          maybe = true;
        } else if (nLineRules > 0 || nHits > 0) {
          maybe = evaluate(lineStart, offset) || ++patternLines >= PROBE_PATTERN_LINES;
        }
        keywordOnLine = false;
      } else if (nLineRules > 0 || nHits > 0 || keywordless.length > 0) {
        evaluate(lineStart, offset);
      }
      nLineRules = 0;
      nHits = 0;
      lineIndex++;
      serial++;
      lineStart = offset + 1;
    }

    private boolean keyStopped(int start, SecretRule r) {
      return !r.keyStopwords().isEmpty() && TextScanner.keyStopped(text, lineStart, length, start, r.keyStopwords());
    }

    /** True when the identifier holding {@code start} begins a key: not inside a URL, a path or an e-mail address. */
    private boolean keyStart(int start) {
      int p = start;
      while (p > lineStart && isIdent(text[p - 1]) && start - p < 128) {
        p--;
      }
      if (p == lineStart) {
        return true;
      }
      byte c = text[p - 1];
      if (c == ':') {
        // A Ruby symbol (:password =>) starts a key; a colon inside a word (arn:aws:secretsmanager) does not.
        return p - 1 == lineStart || !isIdent(text[p - 2]);
      }
      return c != '/' && c != '@' && c != '\\' && c != '%' && c != '+' && c != '~';
    }

    /**
     * True when the identifier holding {@code start} is followed, after an optional closing quote or bracket and
     * blanks, by one of the rule's {@code keyEnd} characters ({@code \n}: the end of the line, for a {@code name:}
     * whose value is on the next line); for a {@code quoted} rule, the value after the assignment opens a quote.
     */
    private boolean assigned(int start, SecretRule r) {
      int p = start;
      while (p < length && isIdent(text[p])) {
        p++;
      }
      for (int k = 0; k < 2 && p < length && (text[p] == '"' || text[p] == '\'' || text[p] == ']'); k++) {
        p++;
      }
      // Every white space a pattern's \s reads before the line ends (\r and \f too: "API_TOKEN",\r \n is valid JSON),
      // or this check would keep a pattern from text it matches.
      p = skipSpaceBeforeLineEnd(p);
      char c = p == length ? '\n' : (char) (text[p] & 0xff);
      if (r.keyEnd().indexOf(c) < 0) {
        return false;
      }
      if (c == '\n' || (c == ',' && r.lines() > 1)) {
        // The value is on the next line: nothing but white space may follow on this one ("API_TOKEN",⏎ "value": ...),
        // which a key in code (f(token, x)) never is.
        int q = c == ',' ? skipSpaceBeforeLineEnd(p + 1) : p;
        return q < length && text[q] == '\n';
      }
      p++;
      if (p < length && (text[p] == '=' || text[p] == '>') && c != ',') {
        p++; // := =>
      }
      if (c == ',' && p >= 2 && text[p - 2] != '"' && text[p - 2] != '\'') {
        return false; // "key", "value" pairs only
      }
      p = skipBlanks(p);
      boolean quote = p < length && (text[p] == '"' || text[p] == '\'' || text[p] == '`');
      if (r.quoted() && !quote) {
        return false;
      }
      // A value of at least MIN_VALUE characters follows: "true", "42" and "x.y(z)" end here.
      int v = quote ? p + 1 : p;
      int e = v;
      while (e < length && e - v < MIN_VALUE && text[e] > ' ' && text[e] != '"' && text[e] != '\'' && text[e] != '`') {
        e++;
      }
      return e - v >= MIN_VALUE;
    }

    /**
     * True when {@code literal} (lower case; the text in any case) occurs between {@code start} and the end of the
     * last of the {@code lines} lines the rule's pattern sees.
     */
    private boolean followedBy(int start, byte[] literal, int lines) {
      int breaks = 0;
      outer:
      for (int p = start; p + literal.length <= length; p++) {
        if (text[p] == '\n' && ++breaks == lines) {
          return false;
        }
        for (int k = 0; k < literal.length; k++) {
          byte b = text[p + k];
          if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != literal[k]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    /** Past blanks, carriage returns and form feeds: RE2's {@code \s} without the line end. */
    private int skipSpaceBeforeLineEnd(int p) {
      while (p < length && (text[p] == ' ' || text[p] == '\t' || text[p] == '\r' || text[p] == '\f')) {
        p++;
      }
      return p;
    }

    private int skipBlanks(int p) {
      while (p < length && (text[p] == ' ' || text[p] == '\t')) {
        p++;
      }
      return p;
    }

    private boolean ascii(int start, int end) {
      for (int i = start; i < end; i++) {
        if (text[i] < 0) {
          return false;
        }
      }
      return true;
    }

    /** Runs the woken rules' patterns on the line {@code text[start, end)}; true when it added a match. */
    private boolean evaluate(int start, int end) {
      if (start >= end) {
        return false;
      }
      int before = found.size();
      String line = new String(text, start, end - start, StandardCharsets.UTF_8);
      boolean ascii = line.length() == end - start;
      for (int i = 0; i < nHits; i++) {
        SecretRule rule = book.rule(hitRule[i]);
        int off = ascii ? hitStart[i] - start : new String(text, start, hitStart[i] - start, StandardCharsets.UTF_8).length();
        String window = rule.lines() == 1 ? line : window(start, end, rule.lines() - 1);
        Matcher m = rule.pattern().matcher(window.substring(off));
        if (m.lookingAt()) {
          accept(hitRule[i], rule, window, off, m);
        }
      }
      for (int i = 0; i < nLineRules; i++) {
        scanLine(lineRules[i], start, end, line);
      }
      for (int r : keywordless) {
        scanLine(r, start, end, line);
      }
      return found.size() > before;
    }

    private void scanLine(int r, int start, int end, String line) {
      SecretRule rule = book.rule(r);
      String window = rule.lines() == 1 ? line : window(start, end, rule.lines() - 1);
      Matcher m = rule.pattern().matcher(window);
      while (m.find()) {
        if (m.start() > line.length()) {
          break; // begins on a later line: that line's own keyword reports it
        }
        accept(r, rule, window, 0, m);
      }
    }

    /** Keeps a match of {@code rule} found in {@code window} from char {@code off} on, unless the line allows it. */
    private void accept(int r, SecretRule rule, String window, int off, Matcher m) {
      int g = rule.secretGroup();
      int gs = m.start(g);
      if (gs < 0 || m.end(g) <= gs || (!anywhere && allowedInline(window, off + m.start(), off + m.end(g)))) {
        return;
      }
      String value = window.substring(off + gs, off + m.end(g));
      String user = rule.userGroup() >= 0 ? m.group(rule.userGroup()) : null;
      int first = count(window, off + m.start());
      int start = first + count(window, off + m.start(), off + gs);
      found.add(new Match(r, fileLine(lineIndex + start), fileLine(lineIndex + first),
          fileLine(lineIndex + start + count(window, off + gs, off + m.end(g))), value, user));
    }

    /**
     * An inline allow marker on any line the match touches keeps it out: {@code tollgate:allow}, and the markers of the
     * scanners users switch from ({@code gitleaks:allow}, {@code trufflehog:ignore}, detect-secrets'
     * {@code pragma: allowlist secret}), so a repository keeps the decisions it already wrote down.
     */
    private boolean allowedInline(String window, int from, int to) {
      int a = window.lastIndexOf('\n', from) + 1;
      int b = window.indexOf('\n', to);
      String lines = window.substring(a, b < 0 ? window.length() : b);
      for (String marker : INLINE_ALLOW) {
        if (lines.contains(marker)) {
          return true;
        }
      }
      return false;
    }

    /** The text from {@code start} to the end of the line {@code extra} lines further, stopping at a gap. */
    private String window(int start, int end, int extra) {
      int e = end;
      int idx = lineIndex;
      for (int k = 0; k < extra && e < length; k++) {
        if (lineNumbers != null && (idx + 1 >= lineNumbers.length || lineNumbers[idx + 1] != lineNumbers[idx] + 1)) {
          break; // the next added line is not the next line of the file
        }
        int next = e + 1;
        while (next < length && text[next] != '\n') {
          next++;
        }
        e = next;
        idx++;
      }
      return new String(text, start, e - start, StandardCharsets.UTF_8);
    }

    private int fileLine(int index) {
      return lineNumbers == null ? index + 1 : lineNumbers[Math.min(index, lineNumbers.length - 1)];
    }
  }

  /**
   * True when a word of the key holding {@code start} (in {@code text[lineStart, length)}) is one of
   * {@code keyStopwords}: {@code hashed_secret}, {@code password_file} and {@code token_url} name something about a
   * secret, not the secret.
   */
  static boolean keyStopped(byte[] text, int lineStart, int length, int start, java.util.Set<String> keyStopwords) {
    int a = start;
    while (a > lineStart && isIdent(text[a - 1]) && start - a < 128) {
      a--;
    }
    int b = start;
    while (b < length && isIdent(text[b]) && b - start < 128) {
      b++;
    }
    // The key's words: DB_PASSWORD_FILE, hashedSecret, password.sha256 (a stopword must be a whole word, so that
    // "type" stops token_type but not TYPEFORM_API_KEY). Split by hand: this runs for every assigned key.
    StringBuilder word = new StringBuilder();
    for (int i = a; i <= b; i++) {
      char c = i < b ? (char) (text[i] & 0xff) : ' ';
      boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      boolean hump = c >= 'A' && c <= 'Z' && i > a && ((text[i - 1] >= 'a' && text[i - 1] <= 'z') || (text[i - 1] >= '0' && text[i - 1] <= '9'));
      if (!letterOrDigit || hump) {
        if (word.length() > 0 && keyStopwords.contains(word.toString())) {
          return true;
        }
        word.setLength(0);
      }
      if (letterOrDigit) {
        word.append(Character.toLowerCase(c));
      }
    }
    return false;
  }

  private static final int[] NONE = {};

  private static boolean isAlnum(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9');
  }

  private static boolean isIdent(byte b) {
    return isAlnum(b) || b == '_' || b == '-' || b == '.';
  }

  private static int count(String s, int to) {
    return count(s, 0, to);
  }

  /** Line breaks in {@code s[from, to)}. */
  private static int count(String s, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
