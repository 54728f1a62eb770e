namespace Fieldlab.Api.Datasets;

/// <summary>The optional parts a freeze may add to the samples: <c>waveforms</c>, <c>outputs</c> (model outputs) and
/// <c>alerts</c>, always kept in this canonical order (in the record, the selection key and the manifest).</summary>
public static class DatasetParts
{
    /// <summary>The raw waveform frames (waveforms.parquet).</summary>
    public const string Waveforms = "waveforms";

    /// <summary>The model outputs ingest stored (outputs.csv, outputs.parquet).</summary>
    public const string Outputs = "outputs";

    /// <summary>The condition monitor's alerts (alerts.csv).</summary>
    public const string Alerts = "alerts";

    /// <summary>Every part, in canonical order.</summary>
    public static IReadOnlyList<string> All { get; } = [Waveforms, Outputs, Alerts];

    /// <summary>The requested parts in canonical order, each once; an unknown one is an error of field <c>parts</c>.</summary>
    public static IReadOnlyList<string> Check(IReadOnlyList<string>? requested, Dictionary<string, string[]> errors)
    {
        var asked = requested?.Select(p => p?.Trim() ?? "").ToList() ?? [];
        if (asked.FirstOrDefault(p => !All.Contains(p)) is { } unknown)
        {
            errors["parts"] = [$"'{unknown}' is no part: {string.Join(", ", All)}"];
            return [];
        }
        return [.. All.Where(asked.Contains)];
    }
}
