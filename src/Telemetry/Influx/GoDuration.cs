using System.Globalization;

namespace Fieldlab.Telemetry.Influx;

/// <summary>Reads the durations InfluxDB 1.x prints (Go's <c>time.Duration.String()</c>: <c>720h0m0s</c>, <c>1h30m0s</c>,
/// <c>0s</c> for infinite).</summary>
public static class GoDuration
{
    /// <summary>Parses hours, minutes and seconds; throws <see cref="FormatException"/> on anything else.</summary>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) throw new FormatException("An empty text is not a Go duration.");
        var total = TimeSpan.Zero;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char unit = text[i];
            if (char.IsAsciiDigit(unit) || unit == '.') continue;
            if (i == start) throw new FormatException($"'{text}' is not a Go duration.");
            double value = double.Parse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += unit switch
            {
                'h' => TimeSpan.FromHours(value),
                'm' when i + 1 < text.Length && text[i + 1] == 's' => TimeSpan.FromMilliseconds(value),
                'm' => TimeSpan.FromMinutes(value),
                's' => TimeSpan.FromSeconds(value),
                _ => throw new FormatException($"'{text}' is not a Go duration (unit '{unit}')."),
            };
            if (unit == 'm' && i + 1 < text.Length && text[i + 1] == 's') i++;
            start = i + 1;
        }
        if (start != text.Length) throw new FormatException($"'{text}' is not a Go duration.");
        return total;
    }
}
