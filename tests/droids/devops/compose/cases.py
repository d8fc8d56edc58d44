"""A clean compose file every compose rule accepts, and edits that plant one problem each."""

from __future__ import annotations

CLEAN = """\
services:
  gateway:
    image: registry.example.com/broker-gateway:2.4.1
    environment:
      BROKER_USER: ${BROKER_USER}
      BROKER_PASSWORD: ${BROKER_PASSWORD}
      LOG_LEVEL: info
    healthcheck:
      test: ["CMD", "curl", "-fsS", "http://127.0.0.1:8080/healthz"]
      interval: 10s
      timeout: 3s
      retries: 3
    networks: [backend]
    deploy:
      resources:
        limits: {cpus: "0.50", memory: 256M}
  trader:
    image: registry.example.com/trading-core@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
    depends_on:
      gateway:
        condition: service_healthy
      migrate:
        condition: service_completed_successfully
    environment:
      - TWELVEDATA_API_KEY=${TWELVEDATA_API_KEY}
    healthcheck:
      test: ["CMD", "python", "-c", "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"]
    volumes:
      - journal:/srv/journal
      - ./config:/srv/config:ro
    secrets: [broker_cert]
    networks: [backend]
    deploy:
      resources:
        limits: {cpus: "2.0", memory: 1G}
  migrate:
    image: registry.example.com/trading-core:1.8.0
    command: ["python", "-m", "migrate"]
    restart: "no"
    mem_limit: 128m
    cpus: 0.25
networks:
  backend: {}
volumes:
  journal: {}
secrets:
  broker_cert:
    file: ./certs/broker.pem
"""
COMPOSE = "deploy/docker-compose.yml"


def planted(old: str, new: str) -> str:
    assert old in CLEAN, old
    return CLEAN.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
