namespace Fieldlab.Datasets;

/// <summary>The naming rule of dataset ids: a Data Package <c>name</c> and a folder name at once.</summary>
public static class DatasetIds
{
    /// <summary>Null if <paramref name="id"/> is valid (1–100 of lower-case a-z, 0-9, <c>-</c>, <c>_</c>, <c>.</c>, starting
    /// with a letter or digit — so never <c>..</c> or a path), otherwise why not.</summary>
    public static string? ExplainInvalid(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "a dataset id must not be empty";
        if (id.Length > 100) return "a dataset id must be at most 100 characters";
        if (id[0] is not (>= 'a' and <= 'z' or >= '0' and <= '9')) return $"dataset id '{id}' must start with a-z or 0-9";
        foreach (var c in id)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.')) return $"dataset id '{id}' may only contain a-z, 0-9, '-', '_' and '.'";
        }
        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless the id and version are valid.</summary>
    public static void Validate(string id, int version)
    {
        if (ExplainInvalid(id) is { } why) throw new ArgumentException(why, nameof(id));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
    }
}
