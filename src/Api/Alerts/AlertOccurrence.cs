using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Api.Alerts;

/// <summary>One occurrence of a rig's alert, as the API names it: <c>{id}@{raised}</c> — the alert's id within the rig
/// and the time it was raised in nanoseconds since the Unix epoch, exactly the stored alert's time (e.g.
/// <c>bearing@1763810449400000000</c>). An alert id such as <c>bearing</c> recurs; id and raise time do not.</summary>
/// <param name="AlertId">The alert's id (<c>bearing</c>, <c>anomaly-process</c>, …).</param>
/// <param name="RaisedAtNs">When it was raised (ns since the epoch).</param>
public readonly record struct AlertOccurrence(string AlertId, long RaisedAtNs)
{
    /// <summary>Longest alert id accepted.</summary>
    public const int MaxIdLength = 128;

    /// <summary>The raise time as a UTC <see cref="DateTime"/> (100 ns precision: for windows, not as a key).</summary>
    public DateTime RaisedAt => UtcTimestamp.FromNanoseconds(RaisedAtNs).UtcDateTime;

    /// <inheritdoc />
    public override string ToString() => $"{AlertId}@{RaisedAtNs}";

    /// <summary>Parses a key; false for anything else (the id may hold a-z A-Z 0-9 - _ . only, the time digits only).</summary>
    public static bool TryParse(string? text, out AlertOccurrence occurrence)
    {
        occurrence = default;
        int at = text?.LastIndexOf('@') ?? -1;
        if (text is null || at < 1 || at > MaxIdLength || at == text.Length - 1) return false;
        var id = text[..at];
        var time = text[(at + 1)..];
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) return false;
        if (time.Length > 19 || !time.All(char.IsAsciiDigit) || !long.TryParse(time, out long ns)) return false;
        occurrence = new AlertOccurrence(id, ns);
        return true;
    }

    /// <summary>The problem sentence for a key that does not parse.</summary>
    public static string Explain(string? text) =>
        $"'{text}' is not an alert occurrence: {{id}}@{{raised}}, the alert's id and its raise time in nanoseconds since 1970 (the 'occurrence' of GET …/alerts), e.g. bearing@1763810449400000000";
}
