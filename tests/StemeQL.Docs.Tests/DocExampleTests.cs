using System.Reflection;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // the examples use relative paths: each test sets the working folder

namespace StemeQL.Docs.Tests;

/// <summary>Runs every example of examples/docs on an empty database and on the quickstart's.</summary>
public sealed class DocExampleTests
{
    public static TheoryData<string, bool> Examples()
    {
        var data = new TheoryData<string, bool>();
        foreach (var method in ExampleMethods())
        {
            data.Add($"{method.DeclaringType!.Name}.{method.Name}", false);
            data.Add($"{method.DeclaringType!.Name}.{method.Name}", true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_runs(string example, bool onQuickstartDatabase)
    {
        var method = ExampleMethods().Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == example);
        using var folder = new ExampleFolder(onQuickstartDatabase);
        string previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder.Path);
        try
        {
            if (method.Invoke(null, null) is Task task) await task;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
        finally
        {
            Directory.SetCurrentDirectory(previous);
        }
    }

    private static IEnumerable<MethodInfo> ExampleMethods() =>
        typeof(DocExamples.Fact).Assembly.GetTypes()
            .Where(t => t.Namespace == "DocExamples" && t.IsAbstract && t.IsSealed)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(m => m.GetParameters().Length == 0)
            .OrderBy(m => m.DeclaringType!.Name + "." + m.Name, StringComparer.Ordinal);
}
