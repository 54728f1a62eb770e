using System.Globalization;
using System.Text;

namespace Fieldlab.Datasets.Formats;

/// <summary>The text rules the CSV files share, in one place so the samples CSV and the replay CSV cannot drift apart.</summary>
internal static class CsvText
{
    /// <summary>UTF-8 without a byte-order mark: a BOM would become part of the first header name for many readers.</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Buffer of the file writers: large enough that a row rarely causes a system call.</summary>
    public const int BufferSize = 1 << 16;

    /// <summary>Opens a new file (never an existing one: a dataset file is written once).</summary>
    public static StreamWriter Create(string path) =>
        new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize), Utf8, BufferSize) { NewLine = "\n" };

    /// <summary>Shortest text that parses back to exactly the same double (the "R" format, as the export writes it).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Writes a cell, quoted per RFC 4180 only when it holds a comma, quote or line break.</summary>
    public static void WriteCell(TextWriter writer, string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(cell);
            return;
        }
        writer.Write('"');
        writer.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Makes the written bytes durable before the folder is published: a frozen dataset must survive a crash.</summary>
    public static void FlushToDisk(StreamWriter writer)
    {
        writer.Flush();
        if (writer.BaseStream is FileStream file) file.Flush(flushToDisk: true);
    }
}
