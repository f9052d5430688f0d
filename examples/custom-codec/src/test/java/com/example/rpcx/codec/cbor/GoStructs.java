package com.example.rpcx.codec.cbor;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import rpcx.api.GoField;
import rpcx.api.GoType;

/**
 * Test types: the tutorial's member service types, and a struct with every kind of value the codec carries. Each
 * record says which Go struct it stands for; fxamacker/cbor keys a Go struct's map by the {@code cbor} tag, else
 * the {@code json} tag, else the field name, which is what {@code @GoField(json = ...)} / the Go field name give.
 */
public final class GoStructs {
    private GoStructs() {
    }

    /** The tutorial's {@code type Args struct { Uid int }}: {@code {"Uid": 999}}. */
    public record Args(int uid) {
    }

    /**
     * The tutorial's {@code model.User}, json tags and all:
     * {@code UID int64 `json:"id"`; AddTime int64 `json:"addtime"`; UserType int32 `json:"utype"`;
     * Uface string `json:"uface"`; UserName string `json:"uname"`}.
     */
    public record User(@GoField(value = "UID", json = "id") long uid,
                       @GoField(json = "addtime") long addTime,
                       @GoField(json = "utype", type = GoType.INT32) int userType,
                       @GoField(json = "uface") String uface,
                       @GoField(json = "uname") String userName) {
    }

    /** The tutorial's {@code type Reply struct { model.User }}: the embedded struct's fields are inlined. */
    public record Reply(@GoField(embedded = true) User user) {
    }

    /** The tutorial's protobuf variant: {@code ProtoArgs { A int32; B int32 }}. */
    public record ProtoArgs(@GoField(type = GoType.INT32) int a, @GoField(type = GoType.INT32) int b) {
    }

    /** Every sized Go integer: {@code A int8; B uint8; C int16; D uint16; E int32; F uint32; G uint64}. */
    public record Sized(@GoField(type = GoType.INT8) byte a,
                        @GoField(type = GoType.UINT8) byte b,
                        @GoField(type = GoType.INT16) short c,
                        @GoField(type = GoType.UINT16) short d,
                        @GoField(type = GoType.INT32) int e,
                        @GoField(type = GoType.UINT32) int f,
                        @GoField(type = GoType.UINT64) long g) {
    }

    /**
     * A member profile with every kind of value:
     * <pre>
     * type Profile struct {
     *     Name     string
     *     Active   bool
     *     Level    int8
     *     Flags    uint8
     *     Year     int16
     *     Port     uint16
     *     Quota    uint32
     *     Serial   uint64
     *     Balance  int64
     *     Ratio    float32
     *     Score    float64
     *     Avatar   []byte
     *     Friends  []model.User
     *     Counters map[string]int64
     *     Tags     []string
     *     History  []int64
     *     Owner    *model.User
     *     Note     string `json:"note,omitempty"`
     * }
     * </pre>
     */
    public record Profile(String name, boolean active,
                          @GoField(type = GoType.INT8) byte level,
                          @GoField(type = GoType.UINT8) byte flags,
                          @GoField(type = GoType.INT16) short year,
                          @GoField(type = GoType.UINT16) short port,
                          @GoField(type = GoType.UINT32) int quota,
                          @GoField(type = GoType.UINT64) long serial,
                          long balance, float ratio, double score, byte[] avatar,
                          List<User> friends, Map<String, Long> counters, List<String> tags, long[] history,
                          User owner,
                          @GoField(json = "note,omitempty") String note) {

        /** Arrays compared by content (a record's equals compares array references). */
        @Override
        public boolean equals(Object o) {
            return o instanceof Profile p
                    && Objects.equals(name, p.name) && active == p.active && level == p.level && flags == p.flags
                    && year == p.year && port == p.port && quota == p.quota && serial == p.serial
                    && balance == p.balance && Float.compare(ratio, p.ratio) == 0
                    && Double.compare(score, p.score) == 0 && Arrays.equals(avatar, p.avatar)
                    && Objects.equals(friends, p.friends) && Objects.equals(counters, p.counters)
                    && Objects.equals(tags, p.tags) && Arrays.equals(history, p.history)
                    && Objects.equals(owner, p.owner) && Objects.equals(note, p.note);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, serial, balance, Arrays.hashCode(avatar), friends, counters);
        }

        @Override
        public String toString() {
            return "Profile[" + name + ", active=" + active + ", level=" + level + ", flags=" + flags + ", year=" + year
                    + ", port=" + port + ", quota=" + quota + ", serial=" + serial + ", balance=" + balance
                    + ", ratio=" + ratio + ", score=" + score + ", avatar=" + Arrays.toString(avatar)
                    + ", friends=" + friends + ", counters=" + counters + ", tags=" + tags
                    + ", history=" + Arrays.toString(history) + ", owner=" + owner + ", note=" + note + "]";
        }
    }

    /** {@code Note string `json:"note,omitempty"`; N int `json:",omitempty"`; Keep string; Secret string `json:"-"`}. */
    public record Optional(@GoField(json = "note,omitempty") String note,
                           @GoField(json = ",omitempty") int n,
                           String keep,
                           @GoField(json = "-") String secret) {
    }

    /** One Go {@code uint64}, and one plain {@code int64}. */
    public record Wide(@GoField(type = GoType.UINT64) long u, long i) {
    }
}
