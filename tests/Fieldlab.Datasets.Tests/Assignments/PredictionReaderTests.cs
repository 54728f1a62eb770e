using Fieldlab.Datasets.Assignments;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Datasets.Tests.Assignments;

public sealed class PredictionReaderTests : IDisposable
{
    private const long S = TaskData.S;
    private readonly TaskData _data = new();

    public void Dispose() => _data.Dispose();

    private static string T(long seconds, long extraNs = 0) => UtcTimestamp.Format(TaskData.From + seconds * S + extraNs);

    // A perfect classification file (20 s windows) with line `line` (1 = header) replaced, or a line appended.
    private async Task<(AnswerKey Key, PredictionFile File)> WithLineAsync(int line, string? text, bool append = false)
    {
        var key = await _data.KeyAsync(TaskKind.Classification, windowSeconds: 20);
        var lines = TaskData.Perfect(key).TrimEnd('\n').Split('\n').ToList();
        if (append) lines.Add(text!);
        else if (text is null) lines.RemoveAt(line - 1);
        else lines[line - 1] = text;
        return (key, await TaskData.ReadAsync(key, string.Join('\n', lines) + "\n"));
    }

    private static void HasError(PredictionFile file, string expected)
    {
        Assert.False(file.IsValid);
        Assert.Null(file.Predictions);
        Assert.True(file.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"no error with '{expected}' in:\n{string.Join("\n", file.Errors)}");
    }

    [Fact]
    public async Task APerfectFile_IsValid_WithEveryKey()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        var file = await TaskData.ReadAsync(key, TaskData.Perfect(key));
        Assert.True(file.IsValid);
        Assert.Equal(key.Truth.Count, file.Predictions!.Count);
        Assert.Equal(key.Truth.Count, file.Rows);
    }

    [Fact]
    public async Task WrongColumns_AreRefusedAtTheHeader() =>
        HasError((await WithLineAsync(1, "rig,time,anomaly")).File, "line 1: the header must be exactly 'rig,window_start,class'");

    [Fact]
    public async Task AnEmptyFile_IsRefused()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        HasError(await TaskData.ReadAsync(key, ""), "the file is empty");
    }

    [Fact]
    public async Task AWrongCellCount_NamesItsLine() =>
        HasError((await WithLineAsync(3, $"r1,{T(20)}")).File, "line 3: 2 cells, a line has 3");

    [Fact]
    public async Task AnUnknownRig_NamesItsLine() =>
        HasError((await WithLineAsync(2, $"r9,{T(0)},normal")).File, "line 2: unknown rig 'r9'");

    [Fact]
    public async Task ATimeOutsideTheDataset_NamesItsLine() =>
        HasError((await WithLineAsync(2, $"r1,{T(-20)},normal")).File, "line 2: window_start " + T(-20) + " lies outside the dataset");

    [Fact]
    public async Task ATimeOffTheGrid_NamesItsLine() =>
        HasError((await WithLineAsync(2, $"r1,{T(0, 5)},normal")).File, "is not on the task's grid");

    [Fact]
    public async Task ABadTime_NamesItsLine() =>
        HasError((await WithLineAsync(2, "r1,yesterday,normal")).File, "line 2: window_start 'yesterday' is not an RFC 3339 time");

    [Fact]
    public async Task ADuplicateKey_NamesBothLines() =>
        HasError((await WithLineAsync(0, $"r1,{T(0)},normal", append: true)).File, "duplicate key r1," + T(0) + " (first on line 2)");

    [Fact]
    public async Task MissingKeys_SayHowManyAndTheFirst()
    {
        var (key, file) = await WithLineAsync(2, null);
        HasError(file, $"1 of {key.Truth.Count} keys have no prediction; the first: r1,{T(0)}");
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-1")]
    [InlineData("soon")]
    public async Task ABadRul_NamesItsLine(string value)
    {
        var key = await _data.KeyAsync(TaskKind.Rul, windowSeconds: 30);
        var text = TaskData.File_(key, (k, t) => k.TimeNs == TaskData.From && k.Rig == "r1" ? value : "1");
        HasError(await TaskData.ReadAsync(key, text), $"line 2: rul_hours '{value}' must be a finite number of hours ≥ 0");
    }

    [Fact]
    public async Task ARulTimeOnTheGridButNotScored_IsRefused()
    {
        var key = await _data.KeyAsync(TaskKind.Rul, windowSeconds: 30);
        var text = TaskData.Perfect(key) + $"r1,{T(300)},1\n";
        HasError(await TaskData.ReadAsync(key, text), "is not scored (RUL keys lie before a start of 'cavitation'");
    }

    [Theory]
    [InlineData("2")]
    [InlineData("true")]
    [InlineData("")]
    public async Task ABadFlag_NamesItsLine(string flag)
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        var text = TaskData.File_(key, (k, t) => k.TimeNs == TaskData.From && k.Rig == "r1" ? flag : "0");
        HasError(await TaskData.ReadAsync(key, text), $"line 2: anomaly '{flag}' must be 0 or 1");
    }

    [Fact]
    public async Task ManyBadLines_ListTheFirstTwenty_AndCountThemAll()
    {
        var key = await _data.KeyAsync(TaskKind.Detection);
        var text = TaskData.File_(key, (_, _) => "x");
        var file = await TaskData.ReadAsync(key, text);
        Assert.Equal(PredictionReader.MaxErrors, file.Errors.Count);
        Assert.Equal(key.Truth.Count, file.ErrorCount);
        Assert.StartsWith("line 2:", file.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnclosedQuote_IsAnError()
    {
        var (_, file) = await WithLineAsync(0, "r1,\"2026", append: true);
        HasError(file, "a quoted cell is not closed");
    }
}
