namespace StemeQL.Cli;

/// <summary>
/// Ctrl+C while a statement runs cancels it (<see cref="StemeCommand.Cancel"/>), and during <c>\watch</c> ends
/// the watch; either way the process goes on.
/// At an interactive prompt the line editor reads Ctrl+C as a key, so this only sees it while a statement runs
/// or results print; there it never ends the shell. A script with nothing running is ended as usual.
/// </summary>
internal sealed class CancelKeyHandler : IDisposable
{
    private readonly StatementExecutor _executor;
    private readonly bool _keepProcess;

    private CancelKeyHandler(StatementExecutor executor, bool keepProcess)
    {
        _executor = executor;
        _keepProcess = keepProcess;
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Handles Ctrl+C for the process console; null when the streams are not the console (tests).</summary>
    /// <param name="host">The process's streams; Ctrl+C is handled only when they are the console.</param>
    /// <param name="executor">Runs the statements Ctrl+C cancels.</param>
    /// <param name="interactive">A person is at the prompt: Ctrl+C never ends the shell.</param>
    public static CancelKeyHandler? Install(ConsoleHost host, StatementExecutor executor, bool interactive) =>
        host.IsRealConsole ? new CancelKeyHandler(executor, interactive) : null;

    public void Dispose() => Console.CancelKeyPress -= OnCancelKeyPress;

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        bool cancelled = _executor.Interrupt();
        e.Cancel = cancelled || _keepProcess;
    }
}
