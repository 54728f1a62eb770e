using System.Text;

namespace Fieldlab.Telemetry.Schema;

/// <summary>A token of InfluxQL text, as far as <see cref="SchemaReferences"/> needs them.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">Identifiers unquoted and unescaped; other tokens as written.</param>
/// <param name="Quoted">True for a double-quoted identifier (never a keyword).</param>
internal readonly record struct InfluxQlToken(InfluxQlTokenKind Kind, string Text, bool Quoted = false)
{
    /// <summary>True for the bare keyword <paramref name="keyword"/> (case-insensitive).</summary>
    public bool Is(string keyword) => Kind == InfluxQlTokenKind.Identifier && !Quoted && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>True for the punctuation <paramref name="symbol"/>.</summary>
    public bool IsSymbol(string symbol) => Kind == InfluxQlTokenKind.Symbol && Text == symbol;
}

/// <summary>Kinds of <see cref="InfluxQlToken"/>.</summary>
internal enum InfluxQlTokenKind
{
    /// <summary>A bare or double-quoted identifier, or a keyword.</summary>
    Identifier,

    /// <summary>A single-quoted string.</summary>
    String,

    /// <summary>A number or duration literal.</summary>
    Number,

    /// <summary>A regular expression literal.</summary>
    Regex,

    /// <summary>A bound parameter or a Grafana template variable (<c>$site</c>, <c>${rig}</c>, <c>[[rig]]</c>).</summary>
    Variable,

    /// <summary>Punctuation and operators.</summary>
    Symbol,
}

/// <summary>Splits InfluxQL text into tokens (InfluxQL 1.x lexical rules: double quotes for identifiers, single quotes
/// for strings, backslash escapes in both, regexes after <c>=~</c>, <c>!~</c> and in FROM).</summary>
internal static class InfluxQlTokens
{
    public static List<InfluxQlToken> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<InfluxQlToken>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '-' && At(text, i + 1) == '-') { while (i < text.Length && text[i] != '\n') i++; continue; }
            if (c is '"' or '\'')
            {
                var (value, end) = Quoted(text, i);
                tokens.Add(new InfluxQlToken(c == '"' ? InfluxQlTokenKind.Identifier : InfluxQlTokenKind.String, value, Quoted: c == '"'));
                i = end;
                continue;
            }
            if (c == '/' && RegexMayStart(tokens))
            {
                int end = i + 1;
                while (end < text.Length && text[end] != '/') end += text[end] == '\\' ? 2 : 1;
                if (end >= text.Length) throw new FormatException($"Unterminated regular expression starting at position {i}.");
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Regex, text[i..(end + 1)]));
                i = end + 1;
                continue;
            }
            if (c == '$')
            {
                int end = i + 1;
                if (At(text, end) == '{') { end = text.IndexOf('}', end); if (end < 0) throw new FormatException($"Unterminated ${{…}} at position {i}."); end++; }
                else while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) end++;
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Variable, text[i..end]));
                i = end;
                continue;
            }
            if (c == '[' && At(text, i + 1) == '[')
            {
                int end = text.IndexOf("]]", i, StringComparison.Ordinal);
                if (end < 0) throw new FormatException($"Unterminated [[…]] at position {i}.");
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Variable, text[i..(end + 2)]));
                i = end + 2;
                continue;
            }
            if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(text, i + 1))))
            {
                int end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] is '.' or 'µ')) end++;
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Number, text[i..end]));
                i = end;
                continue;
            }
            if (char.IsLetter(c) || c == '_')
            {
                int end = i;
                while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) end++;
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Identifier, text[i..end]));
                i = end;
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "=~" or "!~" or "!=" or "<>" or "<=" or ">=" or "::")
            {
                tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Symbol, two));
                i += 2;
                continue;
            }
            tokens.Add(new InfluxQlToken(InfluxQlTokenKind.Symbol, c.ToString()));
            i++;
        }
        return tokens;
    }

    private static char At(string text, int i) => i < text.Length ? text[i] : '\0';

    // A slash starts a regex after a regex operator or where FROM expects a source; elsewhere it divides.
    private static bool RegexMayStart(List<InfluxQlToken> tokens) => tokens.Count > 0 && tokens[^1] is var last
        && (last.IsSymbol("=~") || last.IsSymbol("!~") || last.Is("FROM") || (last.IsSymbol(",") && InFromList(tokens)) || last.IsSymbol("."));

    private static bool InFromList(List<InfluxQlToken> tokens)
    {
        for (int i = tokens.Count - 1; i >= 0; i--)
        {
            if (tokens[i].Is("FROM")) return true;
            if (tokens[i].Kind == InfluxQlTokenKind.Identifier && !tokens[i].Quoted && Clauses.Contains(tokens[i].Text)) return false;
        }
        return false;
    }

    private static readonly HashSet<string> Clauses = new(StringComparer.OrdinalIgnoreCase) { "SELECT", "WHERE", "GROUP", "ORDER", "LIMIT", "INTO" };

    private static (string Value, int End) Quoted(string text, int start)
    {
        char quote = text[start];
        var value = new StringBuilder();
        int i = start + 1;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length) { value.Append(text[i + 1]); i += 2; continue; }
            if (c == quote) return (value.ToString(), i + 1);
            value.Append(c);
            i++;
        }
        throw new FormatException($"Unterminated {(quote == '"' ? "quoted identifier" : "string")} starting at position {start}.");
    }
}
