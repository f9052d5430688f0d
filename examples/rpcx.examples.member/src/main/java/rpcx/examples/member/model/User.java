package rpcx.examples.member.model;

import rpcx.api.GoField;
import rpcx.api.GoType;

/**
 * The tutorial's {@code model.User}:
 * <pre>
 * type User struct {
 *     UID      int64  `json:"id"`
 *     AddTime  int64  `json:"addtime"`
 *     UserType int32  `json:"utype"`
 *     Uface    string `json:"uface"`
 *     UserName string `json:"uname"`
 * }
 * </pre>
 *
 * @param uid      Go {@code UID int64}
 * @param addTime  Go {@code AddTime int64}
 * @param userType Go {@code UserType int32}
 * @param uface    Go {@code Uface string}
 * @param userName Go {@code UserName string}
 */
public record User(@GoField(value = "UID", json = "id") long uid,
                   @GoField(json = "addtime") long addTime,
                   @GoField(json = "utype", type = GoType.INT32) int userType,
                   @GoField(json = "uface") String uface,
                   @GoField(json = "uname") String userName) {

    /** Go's {@code %v} of the struct: {@code {999 14990093 2 http://image.xxxx.xxx/t.gif Joke}}. */
    @Override
    public String toString() {
        return "{" + uid + " " + addTime + " " + userType + " " + uface + " " + userName + "}";
    }
}
