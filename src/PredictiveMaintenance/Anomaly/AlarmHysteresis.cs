namespace Fieldlab.PredictiveMaintenance.Anomaly;

/// <summary>Turns a stream of per-row verdicts into an alarm that does not flap: it is raised after
/// <c>raiseAfter</c> anomalous rows in a row and cleared after <c>clearAfter</c> normal rows in a row.</summary>
public sealed class AlarmHysteresis(int raiseAfter, int clearAfter)
{
    private int _anomalousRun, _normalRun;

    /// <summary>Whether the alarm is raised.</summary>
    public bool Raised { get; private set; }

    /// <summary>Feeds one verdict; returns true when the alarm changed state on this row.</summary>
    public bool Update(bool anomalous)
    {
        if (anomalous) { _anomalousRun++; _normalRun = 0; }
        else { _normalRun++; _anomalousRun = 0; }
        bool before = Raised;
        if (!Raised && _anomalousRun >= raiseAfter) Raised = true;
        else if (Raised && _normalRun >= clearAfter) Raised = false;
        return Raised != before;
    }

    /// <summary>Back to normal (start of a new recording).</summary>
    public void Reset()
    {
        _anomalousRun = _normalRun = 0;
        Raised = false;
    }
}
