namespace Fieldlab.Datasets.Assignments;

/// <summary>A read prediction file: every key's prediction when it is valid, else the errors (the first
/// <see cref="PredictionReader.MaxErrors"/>, each naming its line) and how many there were in all.</summary>
public sealed record PredictionFile(IReadOnlyDictionary<GridKey, Answer>? Predictions, int Rows, IReadOnlyList<string> Errors, int ErrorCount)
{
    /// <summary>True when every line was valid and every key has its prediction.</summary>
    public bool IsValid => Predictions is not null && ErrorCount == 0;
}
