namespace Fieldlab.Datasets;

/// <summary>What the samples table holds: columns in order (<c>time</c>, <c>rig</c>, <c>stream</c>, then sensors).</summary>
/// <param name="Name">Table name (<c>samples</c>): the stem of the CSV and Parquet file names.</param>
/// <param name="Columns">All columns in file order.</param>
public sealed record DatasetTableSpec(string Name, IReadOnlyList<DatasetColumn> Columns)
{
    /// <summary>Number of leading key columns (time, rig, stream) before the sensors.</summary>
    public const int KeyColumnCount = 3;

    /// <summary>A spec of <c>time</c>, <c>rig</c>, <c>stream</c> and the given sensor columns.</summary>
    public static DatasetTableSpec ForSensors(string name, IEnumerable<DatasetColumn> sensors) =>
        new(name, [DatasetColumn.Time, DatasetColumn.Rig, DatasetColumn.Stream, .. sensors]);

    /// <summary>The sensor columns, in the order of <see cref="SampleRow.Values"/>.</summary>
    public IReadOnlyList<DatasetColumn> Sensors => Columns.Skip(KeyColumnCount).ToArray();

    /// <summary>Throws unless the columns are time, rig, stream, then uniquely named number columns: every writer
    /// relies on that layout, so a wrong spec fails before any file is written.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.IndexOfAny(['/', '\\', '.']) >= 0)
        {
            throw new ArgumentException($"table name '{Name}' must be a plain file stem", nameof(Name));
        }
        if (Columns.Count <= KeyColumnCount) throw new ArgumentException("the table needs at least one sensor column", nameof(Columns));
        Expect(0, "time", DatasetColumn.DateTimeType);
        Expect(1, "rig", DatasetColumn.StringType);
        Expect(2, "stream", DatasetColumn.StringType);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            if (string.IsNullOrEmpty(column.Name) || column.Name.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                throw new ArgumentException($"column {i} has an empty name or one with a comma, quote or line break: '{column.Name}'", nameof(Columns));
            }
            if (!names.Add(column.Name)) throw new ArgumentException($"column '{column.Name}' appears twice", nameof(Columns));
            if (i >= KeyColumnCount && column.Type != DatasetColumn.NumberType)
            {
                throw new ArgumentException($"sensor column '{column.Name}' must be of type 'number', not '{column.Type}'", nameof(Columns));
            }
        }
    }

    private void Expect(int index, string name, string type)
    {
        if (Columns[index].Name != name || Columns[index].Type != type)
        {
            throw new ArgumentException($"column {index} must be '{name}' of type '{type}', not '{Columns[index].Name}' of type '{Columns[index].Type}'", nameof(Columns));
        }
    }
}
