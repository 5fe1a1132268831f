// Command ferretdb runs FerretDB 1.24 (MongoDB wire protocol) on its PostgreSQL backend
// (default) or its SQLite backend (--handler=sqlite, kept for comparison: it scans whole
// collections on updates and is an order of magnitude slower).
//
// It embeds the github.com/FerretDB/FerretDB/ferretdb package instead of building
// cmd/ferretdb: a plain `go install` of that command panics at start because the module
// zip lacks the generated version file. Telemetry lives only in cmd/ferretdb, so this
// binary never reports anything.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	handler := flag.String("handler", "postgresql", "storage backend: postgresql or sqlite")
	postgresqlURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/ferretdb", "PostgreSQL URL of the postgresql handler")
	dataDir := flag.String("data-dir", "data", "directory of the SQLite databases of the sqlite handler")
	flag.Parse()

	config := &ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
	}

	switch *handler {
	case "postgresql":
		config.PostgreSQLURL = *postgresqlURL
	case "sqlite":
		if err := os.MkdirAll(*dataDir, 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "cannot create data directory:", err)
			os.Exit(1)
		}
		config.SQLiteURL = "file:" + *dataDir + "/"
	default:
		fmt.Fprintf(os.Stderr, "unknown --handler %q: use postgresql or sqlite\n", *handler)
		os.Exit(2)
	}

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelInfo}))
	config.Logger = logger

	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot configure FerretDB:", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	logger.Info("FerretDB ready", "uri", f.MongoDBURI(), "handler", *handler)
	f.Run(ctx)
}
