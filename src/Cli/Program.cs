using StemeQL.Cli;

return App.Run(args, ConsoleHost.Create());
