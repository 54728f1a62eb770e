using System.Text;
using System.Text.RegularExpressions;

namespace Fieldlab.Deploy.Tests.Compose;

/// <summary>Compose's variable interpolation (<c>$VAR</c>, <c>${VAR}</c>, <c>:-</c>, <c>-</c>, <c>:?</c>, <c>?</c>,
/// <c>:+</c>, <c>+</c>, <c>$$</c>), as the Compose Specification's "Interpolation" section defines it.</summary>
internal static partial class ComposeVariables
{
    /// <summary>Every variable name <paramref name="text"/> refers to, defaults and messages included.</summary>
    public static IEnumerable<string> Names(string text) =>
        NameReference().Matches(text.Replace("$$", "", StringComparison.Ordinal)).Select(m => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value);

    /// <summary><paramref name="text"/> with every reference replaced from <paramref name="values"/>.</summary>
    /// <exception cref="ComposeInterpolationException">A required variable (<c>:?</c>, <c>?</c>) is missing, or a reference is malformed.</exception>
    public static string Interpolate(string text, IReadOnlyDictionary<string, string> values)
    {
        var output = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c != '$' || i + 1 >= text.Length) { output.Append(c); i++; continue; }
            char next = text[i + 1];
            if (next == '$') { output.Append('$'); i += 2; continue; }
            if (next == '{')
            {
                int close = MatchingBrace(text, i + 1);
                output.Append(Braced(text[(i + 2)..close], values));
                i = close + 1;
                continue;
            }
            var plain = PlainName().Match(text, i + 1);
            if (plain.Success && plain.Index == i + 1)
            {
                output.Append(values.GetValueOrDefault(plain.Value, ""));
                i += 1 + plain.Length;
                continue;
            }
            output.Append(c);
            i++;
        }
        return output.ToString();
    }

    private static string Braced(string body, IReadOnlyDictionary<string, string> values)
    {
        var name = PlainName().Match(body);
        if (!name.Success || name.Index != 0) throw new ComposeInterpolationException($"'${{{body}}}': not a variable name.");
        string rest = body[name.Length..];
        bool set = values.TryGetValue(name.Value, out var value);
        bool nonEmpty = set && value!.Length > 0;
        if (rest.Length == 0) return value ?? "";
        // The operand may itself hold references (${A:-${B}}); it is interpolated only when it is used.
        string Operand(int skip) => Interpolate(rest[skip..], values);
        return rest switch
        {
            _ when rest.StartsWith(":-", StringComparison.Ordinal) => nonEmpty ? value! : Operand(2),
            _ when rest.StartsWith(":?", StringComparison.Ordinal) => nonEmpty ? value! : throw Missing(name.Value, Operand(2)),
            _ when rest.StartsWith(":+", StringComparison.Ordinal) => nonEmpty ? Operand(2) : "",
            _ when rest[0] == '-' => set ? value! : Operand(1),
            _ when rest[0] == '?' => set ? value! : throw Missing(name.Value, Operand(1)),
            _ when rest[0] == '+' => set ? Operand(1) : "",
            _ => throw new ComposeInterpolationException($"'${{{body}}}': unknown modifier '{rest}'."),
        };
    }

    private static ComposeInterpolationException Missing(string name, string message) =>
        new($"required variable {name} is missing a value: {message}");

    private static int MatchingBrace(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        throw new ComposeInterpolationException($"'{text[(open - 1)..]}': no closing brace.");
    }

    [GeneratedRegex(@"[_A-Za-z][_A-Za-z0-9]*")]
    private static partial Regex PlainName();

    [GeneratedRegex(@"\$\{(?<braced>[_A-Za-z][_A-Za-z0-9]*)|\$(?<plain>[_A-Za-z][_A-Za-z0-9]*)")]
    private static partial Regex NameReference();
}

/// <summary>What Compose refuses to interpolate: a missing required variable or a malformed reference.</summary>
internal sealed class ComposeInterpolationException(string message) : Exception(message);
