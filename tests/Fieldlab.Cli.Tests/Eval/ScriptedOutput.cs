using System.Globalization;

namespace Fieldlab.Cli.Tests.Eval;

/// <summary>Reads a command's output the way people script against it: lines, and a last line of the form
/// <c>command key=value …</c> (README, "Other commands").</summary>
internal static class ScriptedOutput
{
    /// <summary>The output's lines, without line ends.</summary>
    public static string[] Lines(StringWriter output) => [.. output.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r'))];

    /// <summary>The last line's values by key, in order; fails unless it starts with <paramref name="command"/> and every
    /// other word is key=value.</summary>
    public static List<KeyValuePair<string, string>> LastLine(string[] lines, string command)
    {
        var words = lines[^1].Split(' ');
        Assert.Equal(command, words[0]);
        return [.. words.Skip(1).Select(w =>
        {
            int eq = w.IndexOf('=');
            Assert.True(eq > 0, $"'{w}' in the last line is not key=value");
            return new KeyValuePair<string, string>(w[..eq], w[(eq + 1)..]);
        })];
    }

    /// <summary>A value of the last line as a number.</summary>
    public static double Number(this List<KeyValuePair<string, string>> values, string key) =>
        double.Parse(values.Single(kv => kv.Key == key).Value, CultureInfo.InvariantCulture);
}
