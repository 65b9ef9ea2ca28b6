// Command nexus-test-router embeds the nexus WAMP router with the realms and
// credentials the react-wamp test suites expect (see ../types.ts). It listens
// on 127.0.0.1 only and prints READY on stdout once every listener is up.
package main

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gammazero/nexus/v3/router"
	"github.com/gammazero/nexus/v3/router/auth"
	"github.com/gammazero/nexus/v3/wamp"
)

// Per-peer outbound queue. nexus's default of 64 makes the dealer drop calls
// to a callee whose queue is full, which stalls pipelined test calls.
const outQueueSize = 10000

// Credentials; keep in sync with CREDENTIALS in ../types.ts.
const (
	ticketUser   = "ticketuser"
	ticketSecret = "ticket-secret"
	craUser      = "crauser"
	craSecret    = "cra-secret"
	saltUser     = "saltuser"
	saltSecret   = "salt-secret"
	saltSalt     = "salt123"
	saltIters    = 1000
	saltKeylen   = 32
	cryptoUser   = "cryptouser"
	cryptoPubkey = "1adfc8bfe1d35616e64dffbd900096f23b066f914c8c2ffbb66f6075b96e116d"
	authRole     = "user"
)

type user struct {
	keys               map[string][]byte // authmethod -> key
	salt               string
	keylen, iterations int
}

// keyStore implements auth.KeyStore for the fixed test users.
type keyStore map[string]user

func (ks keyStore) AuthKey(authid, authmethod string) ([]byte, error) {
	if key, ok := ks[authid].keys[authmethod]; ok {
		return key, nil
	}
	return nil, errors.New("no such user")
}

func (ks keyStore) PasswordInfo(authid string) (string, int, int) {
	u := ks[authid]
	return u.salt, u.keylen, u.iterations
}

func (ks keyStore) AuthRole(authid string) (string, error) {
	if _, ok := ks[authid]; !ok {
		return "", errors.New("no such user")
	}
	return authRole, nil
}

func (ks keyStore) Provider() string { return "static" }

func newKeyStore() (keyStore, error) {
	// Salted WAMP-CRA: nexus signs with the key the client derives, i.e.
	// base64(PBKDF2-SHA256(secret, salt, iterations, keylen)).
	dk, err := pbkdf2.Key(sha256.New, saltSecret, []byte(saltSalt), saltIters, saltKeylen)
	if err != nil {
		return nil, err
	}
	pub, err := hex.DecodeString(cryptoPubkey)
	if err != nil {
		return nil, err
	}
	return keyStore{
		ticketUser: {keys: map[string][]byte{"ticket": []byte(ticketSecret)}},
		craUser:    {keys: map[string][]byte{"wampcra": []byte(craSecret)}},
		saltUser: {
			keys:       map[string][]byte{"wampcra": []byte(base64.StdEncoding.EncodeToString(dk))},
			salt:       saltSalt,
			keylen:     saltKeylen,
			iterations: saltIters,
		},
		cryptoUser: {keys: map[string][]byte{"cryptosign": pub}},
	}, nil
}

func realms(ks keyStore) []*router.RealmConfig {
	history := []*router.TopicEventHistoryConfig{
		{Topic: "test.history.", MatchPolicy: "prefix", Limit: 100},
		{Topic: "test.history", MatchPolicy: "exact", Limit: 100},
		// Gap-free subscriptions (test/conformance/gap-free.test.tsx): a history longer than
		// any outage there, and one shorter than one.
		{Topic: "test.history.gapfree", MatchPolicy: "exact", Limit: 1000},
		{Topic: "test.history.gapshort", MatchPolicy: "exact", Limit: 5},
	}
	// MetaStrict stays false: session meta results carry all session details
	// (minus transport.auth), so MetaIncludeSessionDetails is not needed.
	open := func(uri string, disclose bool, hist []*router.TopicEventHistoryConfig) *router.RealmConfig {
		return &router.RealmConfig{
			URI:                      wamp.URI(uri),
			AnonymousAuth:            true,
			AllowDisclose:            disclose,
			EnableMetaKill:           true,
			EnableMetaModify:         true,
			TopicEventHistoryConfigs: hist,
		}
	}
	return []*router.RealmConfig{
		open("realm1", true, history),
		open("realm2", false, nil),
		{
			URI:              "authrealm",
			AllowDisclose:    true,
			EnableMetaKill:   true,
			EnableMetaModify: true,
			Authenticators: []auth.Authenticator{
				auth.NewTicketAuthenticator(ks, 0),
				auth.NewCRAuthenticator(ks, 0),
				auth.NewCryptoSignAuthenticator(ks, 0),
			},
		},
	}
}

func main() {
	wsPort := flag.Int("ws-port", 0, "WebSocket port on 127.0.0.1 (0 = off)")
	tcpPort := flag.Int("tcp-port", 0, "RawSocket TCP port on 127.0.0.1 (0 = off)")
	unixPath := flag.String("unix", "", "RawSocket unix socket path (empty = off)")
	wssPort := flag.Int("wss-port", 0, "TLS WebSocket port on 127.0.0.1 (0 = off; needs -tls-cert and -tls-key)")
	tcpsPort := flag.Int("tcps-port", 0, "TLS RawSocket port on 127.0.0.1 (0 = off; needs -tls-cert and -tls-key)")
	tlsCert := flag.String("tls-cert", "", "PEM certificate (chain) for the TLS listeners")
	tlsKey := flag.String("tls-key", "", "PEM private key for the TLS listeners")
	keepAlive := flag.Duration("ws-keepalive", 0, "WebSocket ping interval (0 = off)")
	debug := flag.Bool("debug", false, "nexus debug logging")
	stdinWatch := flag.Bool("exit-on-stdin-eof", false, "exit when stdin closes (parent died)")
	flag.Parse()
	if *wsPort == 0 && *tcpPort == 0 && *unixPath == "" && *wssPort == 0 && *tcpsPort == 0 {
		log.Fatal("nothing to listen on: give -ws-port, -tcp-port, -unix, -wss-port or -tcps-port")
	}
	useTLS := *wssPort != 0 || *tcpsPort != 0
	if useTLS && (*tlsCert == "" || *tlsKey == "") {
		log.Fatal("-wss-port and -tcps-port need -tls-cert and -tls-key")
	}

	logger := log.New(os.Stderr, "", log.LstdFlags)
	ks, err := newKeyStore()
	if err != nil {
		logger.Fatal(err)
	}
	r, err := router.NewRouter(&router.Config{RealmConfigs: realms(ks), Debug: *debug}, logger)
	if err != nil {
		logger.Fatal(err)
	}

	var closers []io.Closer
	fail := func(err error) {
		for _, c := range closers {
			_ = c.Close()
		}
		r.Close()
		logger.Fatal(err)
	}

	// A fresh config per listener: ListenAndServeTLS appends the certificate to it.
	tlsConfig := func() *tls.Config { return &tls.Config{MinVersion: tls.VersionTLS12} }
	if *wsPort != 0 || *wssPort != 0 {
		ws := router.NewWebsocketServer(r) // serves every path, so /ws and / both work
		ws.OutQueueSize = outQueueSize
		ws.KeepAlive = *keepAlive
		_ = ws.AllowOrigins([]string{"*"})
		if *wsPort != 0 {
			c, err := ws.ListenAndServe(fmt.Sprintf("127.0.0.1:%d", *wsPort))
			if err != nil {
				fail(err)
			}
			closers = append(closers, c)
		}
		if *wssPort != 0 {
			c, err := ws.ListenAndServeTLS(fmt.Sprintf("127.0.0.1:%d", *wssPort), tlsConfig(), *tlsCert, *tlsKey)
			if err != nil {
				fail(err)
			}
			closers = append(closers, c)
		}
	}
	if *tcpPort != 0 || *unixPath != "" || *tcpsPort != 0 {
		rs := router.NewRawSocketServer(r)
		rs.OutQueueSize = outQueueSize
		if *tcpsPort != 0 {
			c, err := rs.ListenAndServeTLS("tcp", fmt.Sprintf("127.0.0.1:%d", *tcpsPort), tlsConfig(), *tlsCert, *tlsKey)
			if err != nil {
				fail(err)
			}
			closers = append(closers, c)
		}
		if *tcpPort != 0 {
			c, err := rs.ListenAndServe("tcp", fmt.Sprintf("127.0.0.1:%d", *tcpPort))
			if err != nil {
				fail(err)
			}
			closers = append(closers, c)
		}
		if *unixPath != "" {
			if fi, err := os.Lstat(*unixPath); err == nil && fi.Mode()&os.ModeSocket != 0 {
				_ = os.Remove(*unixPath) // stale socket of a killed run
			}
			c, err := rs.ListenAndServe("unix", *unixPath)
			if err != nil {
				fail(err)
			}
			closers = append(closers, c)
		}
	}

	// Without this a log write to a closed stderr pipe (parent died) kills us
	// with SIGPIPE before the listeners are closed and the socket is removed.
	signal.Ignore(syscall.SIGPIPE)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan string, 2)
	go func() { done <- (<-stop).String() }()
	if *stdinWatch {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			done <- "stdin closed"
		}()
	}

	fmt.Println("READY")
	why := <-done
	logger.Println("shutting down:", why)
	for _, c := range closers {
		_ = c.Close() // also removes the unix socket file
	}
	// router.Close sends GOODBYE wamp.close.system_shutdown to every session.
	closed := make(chan struct{})
	go func() { r.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		logger.Println("router did not close within 5s")
	}
}
