namespace Fieldlab.Datasets;

/// <summary>A column of the samples table: <c>time</c> first (type <c>datetime</c>), then <c>rig</c> and <c>stream</c>
/// (type <c>string</c>), then one per sensor (type <c>number</c>). Types are Frictionless Table Schema field types.</summary>
/// <param name="Name">Column name as written in every file's header.</param>
/// <param name="Type">Table Schema type: <c>datetime</c>, <c>string</c> or <c>number</c>.</param>
/// <param name="Unit">Unit of a sensor column (e.g. <c>bar</c>), or null.</param>
/// <param name="Description">What the column holds, or null.</param>
public sealed record DatasetColumn(string Name, string Type, string? Unit, string? Description)
{
    /// <summary>Table Schema type of the time column.</summary>
    public const string DateTimeType = "datetime";

    /// <summary>Table Schema type of the rig and stream columns.</summary>
    public const string StringType = "string";

    /// <summary>Table Schema type of a sensor column.</summary>
    public const string NumberType = "number";

    /// <summary>Table Schema type of a count such as a sample's sequence number.</summary>
    public const string IntegerType = "integer";

    /// <summary>Whether every row has a value (Table Schema <c>required</c>); numbers are never marked, as a missing
    /// reading is always possible. False for a text column that may be empty.</summary>
    public bool Required { get; init; } = true;

    /// <summary>The first column: when the sample was taken (UTC).</summary>
    public static DatasetColumn Time { get; } = new("time", DateTimeType, null, "When the sample was taken, UTC (RFC 3339, up to nanoseconds)");

    /// <summary>The second column: which rig the sample came from.</summary>
    public static DatasetColumn Rig { get; } = new("rig", StringType, null, "Rig id");

    /// <summary>The third column: which stream of the rig the sample belongs to.</summary>
    public static DatasetColumn Stream { get; } = new("stream", StringType, null, "Stream id of the rig");

    /// <summary>A sensor column.</summary>
    public static DatasetColumn Sensor(string name, string? unit, string? description) => new(name, NumberType, unit, description);

    /// <summary>The description with the unit spelled out, as the manifest and README give it (the unit is also a
    /// property of its own, but many tools only show descriptions).</summary>
    public string DescriptionWithUnit()
    {
        var text = string.IsNullOrWhiteSpace(Description) ? Name : Description.Trim();
        return string.IsNullOrEmpty(Unit) ? text : $"{text} (unit: {Unit})";
    }
}
