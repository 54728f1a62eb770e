using System.Text.Json;
using System.Text.RegularExpressions;

namespace Fieldlab.Api.Tests.Console;

/// <summary>The console's strings (wwwroot/i18n/en.json and nl.json) cover every key the JavaScript asks for — the
/// literal ones, the families it builds from data (roles, rig kinds, alert states, …) and the labels of kpis.js — in
/// both languages, with no empty text and the same placeholders; a missing key would show itself on the page.</summary>
public sealed partial class ConsoleStringsTests
{
    private static readonly string Root = FindRoot();
    private static readonly string WwwRoot = Path.Combine(Root, "src", "Api", "Console", "wwwroot");
    private static readonly Dictionary<string, Dictionary<string, string>> Strings = new()
    {
        ["en"] = Load("en"),
        ["nl"] = Load("nl"),
    };

    // The values each dynamic family takes (t('prefix.' + value)), from the wire formats and the code that builds them.
    private static readonly Dictionary<string, string[]> Families = new()
    {
        ["role."] = ["Student", "Instructor", "CompanyMember", "Administrator"],
        ["kind."] = ["pump", "motor", "electrolyser", "fuel-cell", "other"],
        ["live."] = ["open", "reconnecting", "closed", "connecting"],
        ["defect."] = ["outer_race", "inner_race", "ball", "cage"],
        ["alerts.state."] = ["raised", "cleared"],
        ["alerts.kind."] = ["bearing", "anomaly", "energy", "rul"],
        ["fault.action."] = ["start", "step", "clear"],
        ["spectrum."] = ["bpfo", "bpfi", "bsf", "ftf"],
        ["curve.x."] = ["flow", "current"],
        ["curve.y."] = ["head", "cell_voltage"],
        ["energy."] = EnergyFields(),
        // Table headers built from inline arrays (pages/lab.js, pages/platform.js).
        ["audit."] = ["time", "actor", "action", "rig", "outcome"],
        ["life.status."] = ["open", "acknowledged", "closed"],
        // The maintenance log's column headers and form fields (pages/maintenance-log.js).
        ["maint."] = ["performed_at", "what", "component", "performed_by", "notes"],
        ["platform.q_"] = ["reason", "topic", "detail"],
        // The datasets pages' table headers (pages/datasets.js, dataset.js, sandboxes.js) and a file's role: the
        // manifest's fieldlab.role of a resource (docs/datasets.md), or the two files that are not resources.
        ["datasets.col."] = ["dataset", "rigs", "range", "rows", "frozen", "size", "labels"],
        ["dataset.col."] = ["name", "role", "size", "sha256"],
        ["dataset.role."] = ["samples", "replay", "labels", "manifest", "readme"],
        ["sandbox.col."] = ["site", "dataset", "class", "speed", "created", "expires", "rows", "state", "actions"],
        // The assignments pages' table headers (pages/assignments.js, assignment.js) and the tasks of docs/datasets.md.
        ["assignments.col."] = ["title", "class", "task", "deadline", "best"],
        ["assignment.col."] = ["name", "size"],
        ["submissions.col."] = ["submitted", "student", "rows", "public", "private"],
        ["board.col."] = ["rank", "participant", "score", "submissions"],
        ["task."] = ["detection", "classification", "rul"],
        ["platform."] = PlatformFigures(),
    };

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fieldlab.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Fieldlab.sln above {AppContext.BaseDirectory}.");
    }

    private static Dictionary<string, string> Load(string language)
    {
        var path = Path.Combine(WwwRoot, "i18n", language + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var strings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            // JSON allows a name twice and JSON.parse silently keeps the last: a duplicate is a translation lost.
            if (!strings.TryAdd(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : ""))
                throw new InvalidDataException($"{language}.json: key '{property.Name}' appears twice.");
            if (property.Value.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{language}.json: '{property.Name}' is a {property.Value.ValueKind}, not a string.");
        }
        return strings;
    }

    private static string Code(string relative) => File.ReadAllText(Path.Combine(WwwRoot, relative));

    private static IEnumerable<(string File, string Text)> Scripts() =>
        Directory.EnumerateFiles(WwwRoot, "*.js", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(WwwRoot, f).Replace('\\', '/').StartsWith("vendor/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(WwwRoot, f).Replace('\\', '/'), StripComments(File.ReadAllText(f))));

    // Comments mention t('key', …) as an example; only code asks for keys. (Whole-line // comments and /* */ blocks:
    // a // inside a line can be a URL in a string.)
    private static string StripComments(string code) => LineComment().Replace(BlockComment().Replace(code, ""), "");

    private static string[] EnergyFields()
    {
        var match = EnergyFieldsObject().Match(Code("lib/kpis.js"));
        if (!match.Success) throw new InvalidDataException("lib/kpis.js: no 'export const energyFields = { … };'");
        return [.. ObjectKey().Matches(match.Groups["body"].Value).Select(m => m.Groups["key"].Value)];
    }

    private static string[] PlatformFigures()
    {
        var match = ShownArray().Match(Code("pages/platform.js"));
        if (!match.Success) throw new InvalidDataException("pages/platform.js: no 'const shown = [ … ];'");
        return [.. QuotedString().Matches(match.Groups["body"].Value).Select(m => m.Groups["text"].Value)];
    }

    private static List<string> Missing(IEnumerable<string> keys) =>
        [.. keys.SelectMany(k => Strings.Where(s => !s.Value.ContainsKey(k)).Select(s => $"{k} ({s.Key})")).Distinct()];

    [Fact]
    public void EnglishAndDutch_HaveExactlyTheSameKeys()
    {
        var en = Strings["en"].Keys.ToHashSet();
        var nl = Strings["nl"].Keys.ToHashSet();
        Assert.True(en.Count > 100, $"only {en.Count} strings: did the file move?");
        Assert.Empty(en.Except(nl).Select(k => "only in en.json: " + k));
        Assert.Empty(nl.Except(en).Select(k => "only in nl.json: " + k));
    }

    [Fact]
    public void NoStringIsEmpty()
    {
        Assert.Empty(Strings.SelectMany(s => s.Value.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => $"{s.Key}.json: {kv.Key}")));
    }

    [Fact]
    public void EachTranslation_HasTheSamePlaceholders_AsTheEnglish()
    {
        // t() fills {name} from its arguments; a placeholder renamed in one language shows as "{name}" on the page.
        static string Of(string text) => string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Order(StringComparer.Ordinal));
        Assert.Empty(Strings["en"].Where(kv => Strings["nl"].TryGetValue(kv.Key, out var nl) && Of(kv.Value) != Of(nl))
            .Select(kv => $"{kv.Key}: en {Of(kv.Value)} / nl {Of(Strings["nl"][kv.Key])}"));
    }

    [Fact]
    public void EveryLiteralKeyTheScriptsUse_ExistsInBothLanguages()
    {
        var used = Scripts().SelectMany(s => LiteralKey().Matches(s.Text).Select(m => (s.File, Key: m.Groups["key"].Value))).ToList();
        // The scan must see the scripts' keys at all (a broken regex would pass an empty list).
        Assert.True(used.Count > 100, $"only {used.Count} t('…') calls found");
        Assert.Contains(used, u => u.Key == "spectrum.no_envelope");
        Assert.Empty(used.Where(u => Strings.Any(s => !s.Value.ContainsKey(u.Key))).Select(u => $"{u.File}: t('{u.Key}')"));
    }

    [Fact]
    public void EveryDynamicKeyFamily_TheScriptsBuild_IsKnownToThisTest()
    {
        // t('prefix.' + value): the test can only check the values of families it knows; a new family must be added above.
        var prefixes = Scripts().SelectMany(s => DynamicKey().Matches(s.Text).Select(m => (s.File, Prefix: m.Groups["prefix"].Value))).ToList();
        Assert.Contains(prefixes, p => p.Prefix == "role.");
        Assert.Empty(prefixes.Where(p => !Families.ContainsKey(p.Prefix)).Select(p => $"{p.File}: t('{p.Prefix}' + …)"));
    }

    [Fact]
    public void EveryDynamicKey_ExistsInBothLanguages_ForEachKnownValue()
    {
        Assert.Empty(Missing(Families.SelectMany(f => f.Value.Select(v => f.Key + v))));
    }

    [Fact]
    public void TheEnergyFamily_IsParsedFromKpisJs()
    {
        // Guards the parse itself: an empty or short list would make the family check above pass without checking.
        var fields = Families["energy."];
        Assert.True(fields.Length >= 20, $"energyFields: {string.Join(", ", fields)}");
        Assert.Contains("wire_to_water", fields);
        Assert.Contains("cusum_kwh", fields);
        Assert.Contains("rows_stored", Families["platform."]);
    }

    [Fact]
    public void EveryTileLabelOfKpisJs_ExistsInBothLanguages()
    {
        var labels = LabelKey().Matches(Code("lib/kpis.js")).Select(m => m.Groups["key"].Value).Distinct().ToList();
        Assert.True(labels.Count >= 8, $"labels: {string.Join(", ", labels)}");
        Assert.Empty(Missing(labels));
    }

    [GeneratedRegex(@"^\s*//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    // t('key') or t('key', {…}): a whole key. (?<![\w.$]) keeps out e.g. format('…') and obj.t('…').
    [GeneratedRegex(@"(?<![\w.$])t\(\s*(?<q>['""])(?<key>[^'""\\]+)\k<q>\s*[,)]")]
    private static partial Regex LiteralKey();

    // t('prefix.' + …): a key built from data.
    [GeneratedRegex(@"(?<![\w.$])t\(\s*(?<q>['""])(?<prefix>[^'""\\]+)\k<q>\s*\+")]
    private static partial Regex DynamicKey();

    [GeneratedRegex(@"export\s+const\s+energyFields\s*=\s*\{(?<body>.*?)\};", RegexOptions.Singleline)]
    private static partial Regex EnergyFieldsObject();

    [GeneratedRegex(@"const\s+shown\s*=\s*\[(?<body>.*?)\];", RegexOptions.Singleline)]
    private static partial Regex ShownArray();

    [GeneratedRegex(@"(?<key>[A-Za-z_]\w*)\s*:\s*'")]
    private static partial Regex ObjectKey();

    [GeneratedRegex(@"'(?<text>[^']*)'")]
    private static partial Regex QuotedString();

    [GeneratedRegex(@"\blabel:\s*'(?<key>[^']+)'")]
    private static partial Regex LabelKey();

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();
}
