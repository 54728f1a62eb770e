namespace Fieldlab.Access.Rights;

/// <summary>A half-open interval of time [<see cref="From"/>, <see cref="To"/>) in UTC; null bounds are unbounded.</summary>
public readonly record struct TimeWindow(DateTime? From, DateTime? To)
{
    /// <summary>All of time.</summary>
    public static readonly TimeWindow Always = new(null, null);

    /// <summary>True if <paramref name="t"/> lies inside.</summary>
    public bool Contains(DateTime t) => (From is null || t >= From) && (To is null || t < To);

    /// <summary>True if nothing lies inside.</summary>
    public bool IsEmpty => From is { } f && To is { } t && f >= t;

    /// <inheritdoc />
    public override string ToString() => $"[{From?.ToString("O") ?? "-∞"}, {To?.ToString("O") ?? "+∞"})";
}
