return FastLaDeDa.Cli.CliApp.Run(args);
