CREATE TABLE accounts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    broker TEXT NOT NULL CHECK (broker IN ('tradovate', 'ib', 'rithmic')),
    login TEXT NOT NULL,
    password_hash TEXT NOT NULL,          -- argon2id; the broker password itself is never stored
    api_key_id UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO accounts (id, broker, login, password_hash)
VALUES ('0b7e3c2a-4f1d-4e8b-9a6c-5d2e1f0a3b4c', 'tradovate', 'demo-user', '$argon2id$v=19$m=65536,t=3,p=4$placeholder');
