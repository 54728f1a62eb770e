using Fieldlab.Gateway.Configuration;
using Fieldlab.Gateway.Faults;
using Fieldlab.Gateway.Rigs.Pump;
using Fieldlab.Telemetry.Wire;

namespace Fieldlab.Gateway.Tests.Faults;

public sealed class FaultControllerTests
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public void StartCommand_AppliesTheFault_AndRecordsTruth()
    {
        var rig = new PumpRig(1, 10);
        var faults = new FaultController(rig, [], _time);
        var reply = faults.Handle(new FaultCommand { Id = "c1", Action = "start", Fault = "impeller_wear", Severity = 0.4, ProgressionPerHour = 0.2 }, null);
        Assert.True(reply.Ok, reply.Detail);
        Assert.Equal(0.4, rig.Condition.ImpellerWear);
        var truth = Assert.Single(faults.Advance());
        Assert.Equal(("impeller_wear", "start", 0.4, 0.2, "command", "c1"), (truth.Fault, truth.Action, truth.Severity, truth.ProgressionPerHour, truth.Source, truth.CommandId));
    }

    [Fact]
    public void ActiveFault_Progresses_AndIsRecordedPeriodically()
    {
        var rig = new PumpRig(1, 10);
        var faults = new FaultController(rig, [], _time);
        faults.Handle(new FaultCommand { Action = "start", Fault = "bearing_wear", Severity = 0.1, ProgressionPerHour = 0.6 }, null);
        faults.Advance();
        _time.Advance(TimeSpan.FromMinutes(30));
        var level = Assert.Single(faults.Advance());
        Assert.Equal("level", level.Action);
        Assert.Equal(0.4, level.Severity, 6);
        Assert.Equal(0.4, rig.Condition.BearingWear, 6);
    }

    [Fact]
    public void StepAndClear_ChangeTheFault_AndEachIsTruth()
    {
        var rig = new PumpRig(1, 10);
        var faults = new FaultController(rig, [], _time);
        faults.Handle(new FaultCommand { Action = "start", Fault = "clogging", Severity = 0.2 }, null);
        Assert.True(faults.Handle(new FaultCommand { Action = "step", Fault = "clogging", Severity = 0.7 }, null).Ok);
        Assert.Equal(0.7, rig.Condition.DischargeClogging);
        Assert.True(faults.Handle(new FaultCommand { Action = "clear", Fault = "clogging" }, null).Ok);
        Assert.Equal(0, rig.Condition.DischargeClogging);
        Assert.Equal(["start", "step", "clear"], faults.Advance().Select(e => e.Action));
        Assert.Empty(faults.ActiveFaults);
    }

    public static TheoryData<FaultCommand?, string?, string> BadCommands => new()
    {
        { null, "'}' is invalid", "not valid JSON" },
        { new FaultCommand { Fault = "clogging", Severity = 0.5 }, null, "'action' is required" },
        { new FaultCommand { Action = "explode", Fault = "clogging" }, null, "unknown action 'explode'" },
        { new FaultCommand { Action = "start", Fault = "bearing_outer", Severity = 0.5 }, null, "no fault 'bearing_outer'" },
        { new FaultCommand { Action = "start", Fault = "clogging", Severity = 1.5 }, null, "'severity' must be 0..1" },
        { new FaultCommand { Action = "start", Fault = "clogging" }, null, "'severity' is required" },
        { new FaultCommand { Action = "start", Fault = "clogging", Severity = 0.5, ProgressionPerHour = -1 }, null, "'progression_per_hour'" },
        { new FaultCommand { Action = "step", Fault = "cavitation", Severity = 0.5 }, null, "is not active" },
        { new FaultCommand { Action = "clear", Fault = "cavitation" }, null, "is not active" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void BadCommand_IsAnsweredWithAClearError_AndChangesNothing(FaultCommand? command, string? decodeError, string expected)
    {
        var rig = new PumpRig(1, 10);
        var faults = new FaultController(rig, [], _time);
        var reply = faults.Handle(command, decodeError);
        Assert.False(reply.Ok);
        Assert.Contains(expected, reply.Detail);
        Assert.Empty(faults.Advance());
        Assert.Equal(0, rig.Condition.DischargeClogging);
        Assert.Equal(0, rig.Condition.SuctionRestriction);
    }

    [Fact]
    public void ScheduledFault_StartsAndClearsOnTime()
    {
        var rig = new PumpRig(1, 10);
        var faults = new FaultController(rig, [new ScheduledFault { Fault = "cavitation", StartAfter = TimeSpan.FromMinutes(5), Severity = 0.8, ClearAfter = TimeSpan.FromMinutes(10) }], _time);
        Assert.Empty(faults.Advance());
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal("start", Assert.Single(faults.Advance()).Action);
        Assert.Equal(0.8, rig.Condition.SuctionRestriction);
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Contains(faults.Advance(), e => e.Action == "clear" && e.Source == "schedule");
        Assert.Equal(0, rig.Condition.SuctionRestriction);
    }

    [Fact]
    public void CavitationFault_MakesThePumpCavitate()
    {
        var rig = new PumpRig(1, 10);
        rig.Process.SpeedOverride = 1.0;
        rig.Process.ValveOverride = 1.0;
        var values = new double[rig.Process.Sensors.Count];
        for (int i = 0; i < 100; i++) rig.Process.Sample(1_700_000_000_000_000_000L + i * 100_000_000L, values);
        Assert.False(rig.Current.IsCavitating);
        rig.SetFault("cavitation", 0.8);
        rig.Process.Sample(1_700_000_010_000_000_000L, values);
        Assert.True(rig.Current.IsCavitating);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
