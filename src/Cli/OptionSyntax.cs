namespace StemeQL.Cli;

/// <summary>The option syntax every steme command line shares: <c>--name value</c> and <c>--name=value</c>.</summary>
internal static class OptionSyntax
{
    /// <summary>Splits <c>--name=value</c> into its name and inline value; other arguments have no inline value.</summary>
    public static (string Name, string? Inline) Split(string arg)
    {
        int equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    /// <summary>The option's value: the inline one, or the next argument (advancing <paramref name="index"/>).</summary>
    public static string Value(string name, string? inline, IReadOnlyList<string> args, ref int index) =>
        inline ?? (index + 1 < args.Count ? args[++index] : throw new ShellOptionsException($"option {name} needs a value"));
}
