package io.switchboard.network;

public enum DeliveryStatus { DELIVERED, READ, FAILED }
