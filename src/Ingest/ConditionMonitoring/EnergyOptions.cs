namespace Fieldlab.Ingest.ConditionMonitoring;

/// <summary>Live energy KPIs and RUL (configuration section <c>ConditionMonitoring:Energy</c>).</summary>
public sealed class EnergyOptions
{
    /// <summary>Length of one KPI period (rows are averaged over it).</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Periods that form the ISO 50006 energy baseline.</summary>
    public int BaselinePeriods { get; set; } = 30;

    /// <summary>Raise an efficiency alert when the EnPI (actual / expected energy) exceeds 1 + this for
    /// <see cref="AlertPeriods"/> periods in a row; clear it after as many periods below.</summary>
    public double EfficiencyAlertFraction { get; set; } = 0.05;

    /// <summary>Periods in a row that raise or clear an efficiency or RUL alert.</summary>
    public int AlertPeriods { get; set; } = 3;

    /// <summary>Pump rated speed, rpm (curves are referred to it).</summary>
    public double PumpRatedSpeedRpm { get; set; } = 2900;

    /// <summary>Hours a year the pump runs, for the savings estimate.</summary>
    public double PumpHoursPerYear { get; set; } = 4000;

    /// <summary>Electricity price per kWh, for the savings estimate.</summary>
    public double PricePerKwh { get; set; } = 0.25;

    /// <summary>Motor rated output, kW.</summary>
    public double MotorRatedKw { get; set; } = 5.5;

    /// <summary>Motor rated speed, rpm.</summary>
    public double MotorRatedSpeedRpm { get; set; } = 1455;

    /// <summary>Motor poles.</summary>
    public int MotorPoles { get; set; } = 4;

    /// <summary>Motor winding temperature at rated load, °C (for the slip correction).</summary>
    public double MotorRatedWindingTemperatureC { get; set; } = 97;

    /// <summary>End of life of a hydrogen stack: this fraction of voltage lost (fuel cell) or gained (electrolyser)
    /// against its first KPI period (the U.S. DOE end-of-life criterion is 10 %).</summary>
    public double StackEndOfLifeFraction { get; set; } = 0.10;

    /// <summary>Raise a RUL alert when the remaining useful life falls below this many operating hours.</summary>
    public double RulHorizonHours { get; set; } = 500;

    /// <summary>Fewest operating hours of history before a drift (and a RUL) is reported: over a few hours, warm-up and
    /// load changes outweigh ageing of some µV/h.</summary>
    public double MinimumDriftSpanHours { get; set; } = 24;

    /// <summary>Operating hours of history the drift (and so the RUL) is estimated from.</summary>
    public double DriftWindowHours { get; set; } = 200;

    /// <summary>Problems with the values.</summary>
    public IEnumerable<string> Validate()
    {
        if (Period < TimeSpan.FromSeconds(1)) yield return "Energy:Period: at least 1 s";
        if (BaselinePeriods < 10) yield return "Energy:BaselinePeriods: at least 10";
        if (!(EfficiencyAlertFraction > 0)) yield return "Energy:EfficiencyAlertFraction: positive";
        if (AlertPeriods < 1) yield return "Energy:AlertPeriods: at least 1";
        if (!(PumpRatedSpeedRpm > 0) || !(MotorRatedKw > 0) || !(MotorRatedSpeedRpm > 0) || MotorPoles < 2 || MotorPoles % 2 != 0) yield return "Energy: rated pump/motor values must be positive (poles even)";
        if (!(StackEndOfLifeFraction is > 0 and < 1)) yield return "Energy:StackEndOfLifeFraction: between 0 and 1";
        if (!(RulHorizonHours > 0) || !(DriftWindowHours > 0)) yield return "Energy:RulHorizonHours, DriftWindowHours: positive";
    }
}
