package ai.clawbot.signing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A semantic version ({@code 1.2.3} or {@code 1.2.3-rc.1}), ordered as semver 2.0 orders them. */
public record SemVer(int major, int minor, int patch, String prerelease) implements Comparable<SemVer> {

    private static final Pattern FORM = Pattern.compile("(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(?:-([0-9A-Za-z.-]+))?");

    public static SemVer parse(String s) {
        Matcher m = s == null ? null : FORM.matcher(s.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a semantic version (like 1.2.3)");
        }
        return new SemVer(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
    }

    public static boolean isValid(String s) {
        return s != null && FORM.matcher(s.trim()).matches();
    }

    @Override
    public int compareTo(SemVer o) {
        int c = Integer.compare(major, o.major);
        c = c != 0 ? c : Integer.compare(minor, o.minor);
        c = c != 0 ? c : Integer.compare(patch, o.patch);
        if (c != 0) {
            return c;
        }
        if (prerelease == null || o.prerelease == null) {
            return prerelease == null ? (o.prerelease == null ? 0 : 1) : -1; // a release outranks its pre-releases
        }
        String[] a = prerelease.split("\\.");
        String[] b = o.prerelease.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            boolean an = a[i].matches("\\d+");
            boolean bn = b[i].matches("\\d+");
            int d = an && bn ? compareNumeric(a[i], b[i])
                    : an ? -1 : bn ? 1 : a[i].compareTo(b[i]);
            if (d != 0) {
                return d;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** Numeric identifiers of any length: by length first (no leading zeros in semver), then digit by digit. */
    private static int compareNumeric(String a, String b) {
        String x = a.replaceFirst("^0+(?=.)", "");
        String y = b.replaceFirst("^0+(?=.)", "");
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease == null ? "" : "-" + prerelease);
    }
}
