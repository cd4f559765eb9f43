namespace StemeQL.Tests.Provider;

public sealed class ConnectionStringBuilderTests
{
    [Fact]
    public void Defaults_are_anonymous_read_your_writes_and_30_seconds()
    {
        var builder = new StemeConnectionStringBuilder();
        Assert.Equal("anonymous", builder.Agent);
        Assert.Equal(StemeConsistency.ReadYourWrites, builder.Consistency);
        Assert.Equal(30, builder.CommandTimeout);
        Assert.Equal("", builder.DataSource);
    }

    [Theory]
    [InlineData("Data Source=db;Agent=alice;Consistency=eventual;Command Timeout=5")]
    [InlineData("datasource=db;agent=alice;CONSISTENCY=Eventual;Default Command Timeout=5")]
    [InlineData("Filename=db;Agent=alice;Consistency=Eventual;command timeout=5")]
    public void Keywords_and_aliases_are_case_insensitive(string connectionString)
    {
        var builder = new StemeConnectionStringBuilder(connectionString);
        Assert.Equal(("db", "alice", StemeConsistency.Eventual, 5), (builder.DataSource, builder.Agent, builder.Consistency, builder.CommandTimeout));
        Assert.True(builder.ContainsKey("DataSource"));
    }

    [Fact]
    public void Round_trips_through_ConnectionString()
    {
        var builder = new StemeConnectionStringBuilder { DataSource = "/tmp/x y", Agent = "bob", Consistency = StemeConsistency.Eventual };
        var again = new StemeConnectionStringBuilder(builder.ConnectionString);
        Assert.Equal(("/tmp/x y", "bob", StemeConsistency.Eventual), (again.DataSource, again.Agent, again.Consistency));
    }

    [Theory]
    [InlineData("ReadYourWrites", StemeConsistency.ReadYourWrites)]
    [InlineData("read-your-writes", StemeConsistency.ReadYourWrites)]
    [InlineData("Read Your Writes", StemeConsistency.ReadYourWrites)]
    [InlineData("eventual", StemeConsistency.Eventual)]
    [InlineData("AtLeast", StemeConsistency.AtLeast)]
    [InlineData("at_least", StemeConsistency.AtLeast)]
    [InlineData("Process", StemeConsistency.Process)]
    [InlineData("Strong", StemeConsistency.Process)]
    public void Consistency_accepts_each_level_by_name(string text, StemeConsistency expected) =>
        Assert.Equal(expected, new StemeConnectionStringBuilder("Consistency=" + text).Consistency);

    [Fact]
    public void Consistency_Strong_is_written_back_as_Process()
    {
        var builder = new StemeConnectionStringBuilder { Consistency = StemeConsistency.Strong };
        Assert.Equal("Consistency=Process", builder.ConnectionString);
    }

    [Theory]
    [InlineData("Consistency=Sometimes")]
    [InlineData("Consistency=1")]
    [InlineData("Consistency=Eventual,AtLeast")]
    [InlineData("Command Timeout=-1")]
    [InlineData("Command Timeout=soon")]
    [InlineData("Server=localhost")]
    [InlineData("Recovery=Repair")]
    public void Invalid_values_throw_ArgumentException(string connectionString) =>
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder(connectionString));

    [Fact]
    public void Blank_agent_is_rejected_and_a_missing_one_means_the_default()
    {
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder { Agent = " " });
        Assert.Throws<ArgumentException>(() => new StemeConnectionStringBuilder("Agent="));
        Assert.Equal("anonymous", new StemeConnectionStringBuilder("Data Source=db").Agent);
    }

    [Fact]
    public void Recovery_is_normal_by_default_and_parses_salvage_in_any_case()
    {
        Assert.Equal(StemeRecovery.Normal, new StemeConnectionStringBuilder().Recovery);
        Assert.Equal(StemeRecovery.Salvage, new StemeConnectionStringBuilder("Data Source=db;recovery=salvage").Recovery);
        var builder = new StemeConnectionStringBuilder { Recovery = StemeRecovery.Salvage };
        Assert.Equal(StemeRecovery.Salvage, new StemeConnectionStringBuilder(builder.ConnectionString).Recovery);
    }
}
