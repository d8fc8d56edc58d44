package broker

import (
	"errors"
	"os"
)

// Credentials are read from the environment; nothing is compiled in.
type Credentials struct {
	Name     string
	Password string
	Cid      string
	Sec      string
}

func FromEnv() (Credentials, error) {
	c := Credentials{
		Name:     os.Getenv("TRADOVATE_NAME"),
		Password: os.Getenv("TRADOVATE_PASSWORD"),
		Cid:      os.Getenv("TRADOVATE_CID"),
		Sec:      os.Getenv("TRADOVATE_SEC"),
	}
	if c.Password == "" || c.Sec == "" {
		return c, errors.New("TRADOVATE_PASSWORD and TRADOVATE_SEC must be set")
	}
	return c, nil
}
