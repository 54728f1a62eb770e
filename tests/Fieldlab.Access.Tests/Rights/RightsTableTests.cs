using Fieldlab.Access.Rights;
using Fieldlab.LocalServers;

namespace Fieldlab.Access.Tests.Rights;

/// <summary>The rights table of docs/access.md: the embedded copy parses and is the file in the repository, it has
/// every right the code evaluates, and a broken table is refused with a message that says where.</summary>
public sealed class RightsTableTests
{
    private static readonly string Document = File.ReadAllText(RepositoryRoot.File("docs", "access.md"));

    [Fact]
    public void Current_EmbeddedTable_ParsesWithRows()
    {
        var table = RightsTable.Current;
        Assert.True(table.Rights.Count() >= 20, $"only {table.Rights.Count()} rights parsed");
        Assert.Equal(Scope.Any, table.ScopeOf(new Right("health", "read"), null));
        Assert.Equal(Scope.TeachingShared, table.ScopeOf(RigRights.Data, Role.Instructor));
        Assert.Equal(Scope.Pilots, table.ScopeOf(RigRights.Data, Role.CompanyMember));
        Assert.Equal(Scope.None, table.ScopeOf(RigRights.Command, Role.Administrator));
    }

    [Fact]
    public void Current_IsTheTableInTheRepository()
    {
        var onDisk = RightsTable.Parse(Document);
        var current = RightsTable.Current;
        Assert.Equal(onDisk.Rights.OrderBy(r => r.ToString()), current.Rights.OrderBy(r => r.ToString()));
        foreach (var right in onDisk.Rights)
        {
            foreach (var (header, role) in RightsTable.Columns)
                Assert.True(onDisk.ScopeOf(right, role) == current.ScopeOf(right, role), $"{right} for {header}: docs/access.md says {onDisk.ScopeOf(right, role)}, the assembly {current.ScopeOf(right, role)} (rebuild)");
        }
    }

    [Fact]
    public void Current_HasEveryRigRightThePolicyEvaluates()
    {
        foreach (var right in RigRights.All) Assert.True(RightsTable.Current.Contains(right), $"docs/access.md has no row for {right}");
    }

    [Fact]
    public void ScopeOf_UnknownRight_ThrowsNamingIt()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => RightsTable.Current.ScopeOf(new Right("rig", "teleport"), Role.Student));
        Assert.Contains("rig/teleport", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownScope_ThrowsNamingTheLine()
    {
        int line = LineOf("| rig | data |");
        var broken = ReplaceLine(line, l => l.Replace("| teaching |", "| teachin |", StringComparison.Ordinal));
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(broken));
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
        Assert.Contains("'teachin'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateRow_ThrowsNamingTheSecondLine()
    {
        int line = LineOf("| rig | truth |");
        var lines = Document.Split('\n').ToList();
        lines.Insert(line, lines[line - 1]); // the copy is line + 1
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(string.Join('\n', lines)));
        Assert.Contains($"line {line + 1}", e.Message, StringComparison.Ordinal);
        Assert.Contains("rig/truth", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WrongColumnHeader_ThrowsNamingTheColumnAndTheLine()
    {
        int line = LineOf("| resource | action | anonymous |");
        var broken = ReplaceLine(line, l => l.Replace("| company member |", "| member |", StringComparison.Ordinal));
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(broken));
        Assert.Contains("'company member'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'member'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SwappedRoleColumns_Throws()
    {
        // Swapping two role columns would silently hand one role the other's rights.
        int line = LineOf("| resource | action | anonymous |");
        var broken = ReplaceLine(line, l => l.Replace("| student | instructor |", "| instructor | student |", StringComparison.Ordinal));
        Assert.Throws<FormatException>(() => RightsTable.Parse(broken));
    }

    [Fact]
    public void Parse_MissingTable_ThrowsNamingTheMarkers()
    {
        var withoutMarkers = Document.Replace("<!-- rights:begin -->", "", StringComparison.Ordinal).Replace("<!-- rights:end -->", "", StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(withoutMarkers));
        Assert.Contains("<!-- rights:begin -->", e.Message, StringComparison.Ordinal);

        var withoutEnd = Document.Replace("<!-- rights:end -->", "", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => RightsTable.Parse(withoutEnd));
    }

    [Fact]
    public void Parse_TableWithoutRows_Throws()
    {
        var empty = "<!-- rights:begin -->\n| resource | action | anonymous | student | instructor | company member | administrator |\n| --- | --- | --- | --- | --- | --- | --- |\n<!-- rights:end -->\n";
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(empty));
        Assert.Contains("empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RowWithTooFewCells_ThrowsNamingTheLine()
    {
        int line = LineOf("| pilot | share |");
        var broken = ReplaceLine(line, _ => "| pilot | share | - | - |");
        var e = Assert.Throws<FormatException>(() => RightsTable.Parse(broken));
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CrLfLineEndings_GiveTheSameTable()
    {
        var table = RightsTable.Parse(Document.Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.Equal(RightsTable.Current.Rights.Count(), table.Rights.Count());
        Assert.Equal(Scope.Released, table.ScopeOf(RigRights.Truth, Role.Student));
    }

    /// <summary>1-based number of the first line of docs/access.md starting with <paramref name="start"/>.</summary>
    private static int LineOf(string start)
    {
        var lines = Document.Split('\n');
        int index = Array.FindIndex(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.True(index >= 0, $"docs/access.md has no line starting with '{start}'");
        return index + 1;
    }

    private static string ReplaceLine(int line, Func<string, string> change)
    {
        var lines = Document.Split('\n');
        var changed = change(lines[line - 1]);
        Assert.NotEqual(lines[line - 1], changed);
        lines[line - 1] = changed;
        return string.Join('\n', lines);
    }
}
