using System.Buffers.Text;

namespace Fieldlab.Telemetry.Wire;

/// <summary>The wire format of time: ISO 8601 / RFC 3339 in UTC with a <c>Z</c> and 0–9 fraction digits,
/// e.g. <c>2026-11-22T07:06:23.123456Z</c>, held as nanoseconds since the Unix epoch.</summary>
public static class UtcTimestamp
{
    private const long NanosPerTick = 100;

    /// <summary>Nanoseconds since the Unix epoch of a time.</summary>
    public static long ToNanoseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * NanosPerTick;

    /// <summary>The time of a nanosecond timestamp (truncated to .NET's 100 ns ticks).</summary>
    public static DateTimeOffset FromNanoseconds(long nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks(nanoseconds / NanosPerTick);

    /// <summary>Formats with 6 fraction digits, or 9 when the time is not a whole microsecond.</summary>
    public static string Format(long nanoseconds)
    {
        Span<byte> buffer = stackalloc byte[32];
        int n = Format(nanoseconds, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer[..n]);
    }

    /// <summary>Formats into a UTF-8 buffer of at least 30 bytes; returns the bytes written.</summary>
    public static int Format(long nanoseconds, Span<byte> destination)
    {
        long seconds = Math.DivRem(nanoseconds, 1_000_000_000L, out long fraction);
        if (fraction < 0) { fraction += 1_000_000_000L; seconds--; }
        var time = DateTimeOffset.UnixEpoch.AddSeconds(seconds).UtcDateTime;
        time.TryFormat(destination, out int n, "yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        destination[n++] = (byte)'.';
        if (fraction % 1000 == 0)
        {
            Utf8Formatter.TryFormat((uint)(fraction / 1000), destination[n..], out int w, new System.Buffers.StandardFormat('D', 6));
            n += w;
        }
        else
        {
            Utf8Formatter.TryFormat((uint)fraction, destination[n..], out int w, new System.Buffers.StandardFormat('D', 9));
            n += w;
        }
        destination[n++] = (byte)'Z';
        return n;
    }

    /// <summary>Parses the wire format from text (see the byte overload).</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (text.Length > 64 || !System.Text.Ascii.IsValid(text)) return false;
        Span<byte> bytes = stackalloc byte[text.Length];
        System.Text.Encoding.ASCII.GetBytes(text, bytes);
        return TryParse(bytes, out nanoseconds);
    }

    /// <summary>Parses the wire format; rejects offsets other than <c>Z</c>, missing parts and impossible dates.</summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out long nanoseconds)
    {
        nanoseconds = 0;
        // yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z
        if (text.Length < 20 || text.Length > 30) return false;
        if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') return false;
        if (!Digits(text[..4], out int year) || !Digits(text.Slice(5, 2), out int month) || !Digits(text.Slice(8, 2), out int day)
            || !Digits(text.Slice(11, 2), out int hour) || !Digits(text.Slice(14, 2), out int minute) || !Digits(text.Slice(17, 2), out int second))
        {
            return false;
        }
        int pos = 19;
        long fraction = 0;
        if (text[pos] == '.')
        {
            pos++;
            int digits = 0;
            while (pos < text.Length && text[pos] is >= (byte)'0' and <= (byte)'9')
            {
                if (++digits > 9) return false;
                fraction = fraction * 10 + (text[pos] - '0');
                pos++;
            }
            if (digits == 0) return false;
            for (int i = digits; i < 9; i++) fraction *= 10;
        }
        if (pos != text.Length - 1 || (text[pos] != 'Z' && text[pos] != 'z')) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return false;
        long days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        long secs = days * 86400L + hour * 3600L + minute * 60L + second;
        // Beyond ±292 years from 1970 a nanosecond count overflows 64 bits.
        if (secs is > 9_223_372_035L or < -9_223_372_035L) return false;
        nanoseconds = secs * 1_000_000_000L + fraction;
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var b in text)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }
}
